using System.Security.Claims;
using Microsoft.EntityFrameworkCore;
using Piramid.Contracts.Problems;
using Piramid.ControlPlane.Access;
using Piramid.ControlPlane.Data;
using Piramid.ControlPlane.Data.Entities;
using Piramid.ServiceDefaults;

namespace Piramid.ControlPlane.Backups;

/// <summary>The tenant a short path (<c>/v1/backups</c>) means for a token that does not name one.</summary>
public sealed class MemberTenants(ControlPlaneDbContext db, IHttpContextAccessor http)
{
    /// <summary>
    /// A machine client's tenant, or a person's only membership; a 400 pointing at <paramref name="longForm"/> for a person
    /// in several tenants (or none) and for an operator, who must name the tenant.
    /// </summary>
    public async Task<string> OnlyTenantAsync(ClaimsPrincipal user, string longForm, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(user);
        if (http.HttpContext is { } context && TenantAccessHandler.Standing(context, user) is { } standing)
        {
            return standing.TenantId;
        }

        if (user.HasClaim(c => c.Type == "email") && Guid.TryParse(user.FindFirstValue("sub"), out var userId))
        {
            var tenants = await db.TenantMembers.AsNoTracking()
                .Where(m => m.UserId == userId && m.Tenant!.Status != TenantStatus.Deleted)
                .Select(m => m.TenantId).Take(2).ToListAsync(ct);
            if (tenants.Count == 1)
            {
                return tenants[0];
            }
        }

        throw new ProblemException(ProblemCatalog.InvalidRequest, $"This credential does not name one tenant; use {longForm}.");
    }
}
