using System.Security.Claims;
using Microsoft.EntityFrameworkCore;
using Piramid.Contracts.Identity;
using Piramid.ControlPlane.Access;
using Piramid.ControlPlane.Data;

namespace Piramid.ControlPlane.Members;

/// <summary>
/// Who changes a tenant's members, once <see cref="TenantAccessHandler"/> let the request in: an operator, a member
/// (with their member role), or a credential acting as the tenant's <c>admin</c> (an admin key, a machine client),
/// which ranks as a member <c>admin</c>: it manages members but not owners.
/// </summary>
/// <param name="Operator">An operator: every change.</param>
/// <param name="Role">The member role the caller acts with.</param>
/// <param name="UserId">The caller when it is a person (for leaving).</param>
public sealed record MemberActor(bool Operator, MemberRole Role, Guid? UserId)
{
    /// <summary>May make or unmake an owner.</summary>
    public bool MayManageOwners => Operator || Role == MemberRole.Owner;

    /// <summary>May change other members.</summary>
    public bool MayManageMembers => Operator || Role is MemberRole.Owner or MemberRole.Admin;

    /// <summary>Works out the actor of a request that passed the tenant policy for <paramref name="tenantId"/>.</summary>
    public static async Task<MemberActor> OfAsync(HttpContext http, string tenantId, ControlPlaneDbContext db, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(http);
        var user = http.User;
        if (user.HasClaim("role", Roles.PlatformAdmin))
        {
            return new MemberActor(true, MemberRole.Owner, UserOf(user));
        }

        if (TenantAccessHandler.Standing(http, user) is { } standing)
        {
            // A key or a machine client: its tenant role read as a member role.
            var role = standing.Role == Roles.Admin ? MemberRole.Admin : standing.Role == Roles.ReadWrite ? MemberRole.Developer : MemberRole.Viewer;
            return new MemberActor(false, role, null);
        }

        var userId = UserOf(user) ?? throw new InvalidOperationException("the tenant policy admitted a caller that is no member");
        var member = await db.TenantMembers.AsNoTracking().SingleAsync(m => m.TenantId == tenantId && m.UserId == userId, ct);
        return new MemberActor(false, member.Role, userId);
    }

    private static Guid? UserOf(ClaimsPrincipal user) =>
        user.HasClaim(c => c.Type == "email") && Guid.TryParse(user.FindFirstValue("sub"), out var id) ? id : null;
}
