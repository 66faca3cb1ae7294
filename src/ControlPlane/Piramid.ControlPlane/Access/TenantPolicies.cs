using Piramid.Contracts.Identity;

namespace Piramid.ControlPlane.Access;

/// <summary>Policy names of the tenant routes, used as <c>.RequireAuthorization(TenantPolicies.Admin)</c>.</summary>
public static class TenantPolicies
{
    /// <summary>An operator, or the tenant itself as <c>admin</c>: keys, usage, audit, members' changes.</summary>
    public const string Admin = "tenant-admin";

    /// <summary>An operator, or anyone acting for the tenant: reading the tenant and its members.</summary>
    public const string Member = "tenant-member";

    /// <summary>An operator, or the tenant itself as <c>read_write</c> or more: writing its data (an import).</summary>
    public const string Writer = "tenant-writer";

    /// <summary>The requirement behind <see cref="Admin"/>.</summary>
    public static TenantAccessRequirement AdminRequirement { get; } = new(Roles.Admin, "manage this tenant");

    /// <summary>The requirement behind <see cref="Member"/>.</summary>
    public static TenantAccessRequirement MemberRequirement { get; } = new(Roles.ReadOnly, "read this tenant");

    /// <summary>The requirement behind <see cref="Writer"/>.</summary>
    public static TenantAccessRequirement WriterRequirement { get; } = new(Roles.ReadWrite, "write this tenant's data");
}
