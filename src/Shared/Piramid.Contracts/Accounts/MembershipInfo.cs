namespace Piramid.Contracts.Accounts;

/// <summary>One of the signed-in user's memberships.</summary>
public sealed class MembershipInfo
{
    /// <summary>Tenant id.</summary>
    public required string TenantId { get; set; }

    /// <summary>Tenant name.</summary>
    public required string TenantName { get; set; }

    /// <summary><c>owner</c>, <c>admin</c>, <c>developer</c> or <c>viewer</c>.</summary>
    public required string Role { get; set; }
}
