namespace Piramid.Contracts.Admin;

/// <summary>Body of <c>GET /v1/tenants/{id}/api-keys</c>.</summary>
public sealed class ApiKeyList
{
    /// <summary>Keys, newest first.</summary>
    public required IReadOnlyList<ApiKeyInfo> ApiKeys { get; set; }
}
