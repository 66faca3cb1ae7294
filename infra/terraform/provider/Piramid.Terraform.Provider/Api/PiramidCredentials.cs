namespace Piramid.Terraform.Provider.Api;

/// <summary>Where the API is and who calls it: operator client credentials, or a tenant admin API key.</summary>
public sealed record PiramidCredentials(Uri Endpoint, string? ClientId, string? ClientSecret, string? ApiKey)
{
    /// <summary>True when calls go with the operator's token.</summary>
    public bool IsOperator => ApiKey is null;
}
