using Piramid.Contracts.Identity;

namespace Piramid.ControlPlane.Access;

/// <summary>The order of the tenant roles: <c>read_only</c> &lt; <c>read_write</c> &lt; <c>admin</c>.</summary>
public static class TenantRoles
{
    /// <summary>True when <paramref name="role"/> is a tenant role and at least <paramref name="minimum"/>.</summary>
    public static bool AtLeast(string? role, string minimum) => Rank(role) is > 0 and var rank && rank >= Rank(minimum);

    private static int Rank(string? role) => role switch
    {
        Roles.ReadOnly => 1,
        Roles.ReadWrite => 2,
        Roles.Admin => 3,
        _ => 0,
    };
}
