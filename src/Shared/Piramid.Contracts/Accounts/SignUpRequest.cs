namespace Piramid.Contracts.Accounts;

/// <summary>Body of <c>POST /v1/signup</c>: a new user and the organization (tenant) they own.</summary>
public sealed class SignUpRequest
{
    /// <summary>Email; stored trimmed and lower-case, unique across the platform.</summary>
    public string? Email { get; set; }

    /// <summary>Password: 10-128 characters, not one of the most common passwords.</summary>
    public string? Password { get; set; }

    /// <summary>Name of the organization, the new tenant's name (the tenant name rules).</summary>
    public string? Organization { get; set; }
}
