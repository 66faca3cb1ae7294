namespace Piramid.Contracts.Accounts;

/// <summary>A member of a tenant: <c>GET /v1/tenants/{id}/members</c>.</summary>
public sealed class MemberInfo
{
    /// <summary>The user's id.</summary>
    public required Guid UserId { get; set; }

    /// <summary>The user's email (normalized).</summary>
    public required string Email { get; set; }

    /// <summary><c>owner</c>, <c>admin</c>, <c>developer</c> or <c>viewer</c>.</summary>
    public required string Role { get; set; }

    /// <summary>When the user joined the tenant.</summary>
    public DateTimeOffset CreatedAt { get; set; }
}
