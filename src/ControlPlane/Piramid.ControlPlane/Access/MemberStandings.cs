using System.Security.Claims;
using Microsoft.EntityFrameworkCore;
using Piramid.Contracts.Identity;
using Piramid.ControlPlane.Data;
using Piramid.ControlPlane.Data.Entities;

namespace Piramid.ControlPlane.Access;

/// <summary>A person's standing in a tenant, from <c>tenant_members</c>: their member role as a tenant role.</summary>
public sealed class MemberStandings(ControlPlaneDbContext db)
{
    /// <summary>
    /// Null when <paramref name="user"/> is not a person (no <c>email</c> claim or no user id as <c>sub</c>). A person
    /// who is not a member of <paramref name="tenantId"/> (or whose tenant is deleted) stands in no tenant, which the
    /// handler answers like a tenant that does not exist.
    /// </summary>
    public async Task<TenantStanding?> OfAsync(ClaimsPrincipal user, string tenantId, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(user);
        if (!user.HasClaim(c => c.Type == "email") || !Guid.TryParse(user.FindFirstValue("sub"), out var userId))
        {
            return null;
        }

        var role = await db.TenantMembers.AsNoTracking()
            .Where(m => m.TenantId == tenantId && m.UserId == userId && m.Tenant!.Status != TenantStatus.Deleted)
            .Select(m => (MemberRole?)m.Role)
            .SingleOrDefaultAsync(ct);
        return role is { } r ? new TenantStanding(tenantId, MemberRoles.ToDataPlaneRole(r), Scoped: false) : new TenantStanding(string.Empty, string.Empty, Scoped: false);
    }
}
