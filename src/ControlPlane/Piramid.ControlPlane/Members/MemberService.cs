using Microsoft.EntityFrameworkCore;
using Piramid.Contracts.Accounts;
using Piramid.Contracts.Admin;
using Piramid.Contracts.Identity;
using Piramid.Contracts.Problems;
using Piramid.ControlPlane.Auditing;
using Piramid.ControlPlane.Data;
using Piramid.ControlPlane.Data.Entities;
using Piramid.ServiceDefaults;

namespace Piramid.ControlPlane.Members;

/// <summary>
/// A tenant's members: list, change a role, remove, leave. The rules: owners and admins manage members; only an
/// owner (or an operator) makes or unmakes an owner; a tenant always keeps an owner. Each change takes the tenant's
/// row lock first, so two owners demoting each other at once cannot leave none. Every change is audited and appends
/// a <c>member</c> change event (the gateway drops its cached role).
/// </summary>
public sealed class MemberService(ControlPlaneDbContext db, AuditTrail audit, TimeProvider time)
{
    /// <summary>The tenant's members, oldest first.</summary>
    public async Task<MemberList> ListAsync(string tenantId, CancellationToken ct)
    {
        await RequireTenantAsync(tenantId, ct);
        var members = await db.TenantMembers.AsNoTracking().Where(m => m.TenantId == tenantId)
            .OrderBy(m => m.CreatedAt).ThenBy(m => m.UserId)
            .Select(m => new { m.UserId, m.User!.Email, m.Role, m.CreatedAt })
            .ToListAsync(ct);
        return new MemberList { Members = [.. members.Select(m => new MemberInfo { UserId = m.UserId, Email = m.Email, Role = MemberRoles.ToWire(m.Role), CreatedAt = m.CreatedAt })] };
    }

    /// <summary>Changes <paramref name="userId"/>'s role.</summary>
    public async Task<MemberInfo> ChangeRoleAsync(string tenantId, Guid userId, string? roleWord, MemberActor actor, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(actor);
        if (!MemberRoles.TryParse(roleWord, out var role))
        {
            throw new ProblemException(ProblemCatalog.InvalidRequest, $"'role' must be one of {string.Join(", ", MemberRoles.All.Select(r => $"'{r}'"))}.");
        }

        if (!actor.MayManageMembers)
        {
            throw new ProblemException(ProblemCatalog.Forbidden, $"The role '{MemberRoles.ToWire(actor.Role)}' may not manage members.");
        }

        await using var transaction = await db.Database.BeginTransactionAsync(ct);
        await LockTenantAsync(tenantId, ct);
        var member = await FindAsync(tenantId, userId, ct);
        if ((member.Role == MemberRole.Owner || role == MemberRole.Owner) && member.Role != role && !actor.MayManageOwners)
        {
            throw new ProblemException(ProblemCatalog.Forbidden, "Only an owner can make or unmake an owner.");
        }

        if (member.Role == MemberRole.Owner && role != MemberRole.Owner)
        {
            await RequireAnotherOwnerAsync(tenantId, userId, "demoted", ct);
        }

        var before = Info(member);
        member.Role = role;
        audit.Record("member.role_change", "member", userId.ToString(), tenantId, before, Info(member));
        Changed(tenantId, userId);
        await db.SaveChangesAsync(ct);
        await transaction.CommitAsync(ct);
        return Info(member);
    }

    /// <summary>Removes <paramref name="userId"/> from the tenant (leaving, when it is the actor).</summary>
    public async Task RemoveAsync(string tenantId, Guid userId, MemberActor actor, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(actor);
        var leaving = actor.UserId == userId;
        if (!leaving && !actor.MayManageMembers)
        {
            throw new ProblemException(ProblemCatalog.Forbidden, $"The role '{MemberRoles.ToWire(actor.Role)}' may not remove other members; a member may remove only themself.");
        }

        await using var transaction = await db.Database.BeginTransactionAsync(ct);
        await LockTenantAsync(tenantId, ct);
        var member = await FindAsync(tenantId, userId, ct);
        if (member.Role == MemberRole.Owner && !leaving && !actor.MayManageOwners)
        {
            throw new ProblemException(ProblemCatalog.Forbidden, "Only an owner can remove an owner.");
        }

        if (member.Role == MemberRole.Owner)
        {
            await RequireAnotherOwnerAsync(tenantId, userId, leaving ? "leave" : "removed", ct);
        }

        db.TenantMembers.Remove(member);
        audit.Record("member." + (leaving ? "leave" : "remove"), "member", userId.ToString(), tenantId, Info(member), null);
        Changed(tenantId, userId);
        await db.SaveChangesAsync(ct);
        await transaction.CommitAsync(ct);
    }

    /// <summary>Appends the change event the gateway's member cache listens to.</summary>
    internal void Changed(string tenantId, Guid userId) =>
        db.ChangeEvents.Add(new ChangeEvent { Kind = ChangeKinds.Member, Subject = $"{tenantId}/{userId}", Time = time.GetUtcNow() });

    private async Task RequireAnotherOwnerAsync(string tenantId, Guid userId, string what, CancellationToken ct)
    {
        if (!await db.TenantMembers.AnyAsync(m => m.TenantId == tenantId && m.UserId != userId && m.Role == MemberRole.Owner, ct))
        {
            var verb = what == "leave" ? "cannot leave" : $"cannot be {what}";
            throw new ProblemException(ProblemCatalog.Conflict, $"A tenant always keeps at least one owner: the last owner {verb}. Make another member owner first.");
        }
    }

    private async Task<TenantMember> FindAsync(string tenantId, Guid userId, CancellationToken ct) =>
        await db.TenantMembers.Include(m => m.User).SingleOrDefaultAsync(m => m.TenantId == tenantId && m.UserId == userId, ct)
        ?? throw new ProblemException(ProblemCatalog.NotFound, $"User '{userId}' is not a member of tenant '{tenantId}'.");

    private async Task RequireTenantAsync(string tenantId, CancellationToken ct)
    {
        if (!await db.Tenants.AnyAsync(t => t.Id == tenantId, ct))
        {
            throw new ProblemException(ProblemCatalog.NotFound, $"Tenant '{tenantId}' does not exist.");
        }
    }

    // The tenant's row lock serializes every membership change of the tenant (and proves the tenant exists).
    private async Task LockTenantAsync(string tenantId, CancellationToken ct)
    {
        var found = await db.Database.SqlQuery<int>($"SELECT 1 AS \"Value\" FROM tenants WHERE id = {tenantId} FOR UPDATE").ToListAsync(ct);
        if (found.Count == 0)
        {
            throw new ProblemException(ProblemCatalog.NotFound, $"Tenant '{tenantId}' does not exist.");
        }
    }

    private static MemberInfo Info(TenantMember m) => new() { UserId = m.UserId, Email = m.User?.Email ?? string.Empty, Role = MemberRoles.ToWire(m.Role), CreatedAt = m.CreatedAt };
}
