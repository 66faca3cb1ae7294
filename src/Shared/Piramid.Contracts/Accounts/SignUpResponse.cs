namespace Piramid.Contracts.Accounts;

/// <summary>Answer of <c>POST /v1/signup</c> (201).</summary>
public sealed class SignUpResponse
{
    /// <summary>The new user's id.</summary>
    public required Guid UserId { get; set; }

    /// <summary>The stored (normalized) email.</summary>
    public required string Email { get; set; }

    /// <summary>The new tenant's id.</summary>
    public required string TenantId { get; set; }

    /// <summary>The new tenant's name.</summary>
    public required string TenantName { get; set; }

    /// <summary>The user's role in it: <c>owner</c>.</summary>
    public required string Role { get; set; }
}
