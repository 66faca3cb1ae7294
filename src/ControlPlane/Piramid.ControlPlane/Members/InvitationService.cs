using System.Buffers.Text;
using System.Security.Cryptography;
using System.Text;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using Npgsql;
using Piramid.Contracts.Accounts;
using Piramid.Contracts.Identity;
using Piramid.Contracts.Problems;
using Piramid.ControlPlane.Accounts;
using Piramid.ControlPlane.Auditing;
using Piramid.ControlPlane.Data;
using Piramid.ControlPlane.Data.Entities;
using Piramid.ServiceDefaults;

namespace Piramid.ControlPlane.Members;

/// <summary>
/// Invitations: a 256-bit random token shown once in the invitation link and stored as SHA-256 (like API keys),
/// valid for <see cref="InvitationOptions.Lifetime"/>, used once. Accepting is a conditional update of the unused
/// row together with the new membership, so two acceptances racing for one token make one member.
/// </summary>
public sealed class InvitationService(
    ControlPlaneDbContext db, AuditTrail audit, MemberService members, TimeProvider time,
    IOptions<InvitationOptions> options, IOptions<Identity.IdentityOptions> identity)
{
    // The portal's page that accepts an invitation (`/invite` in portal/src/App.tsx), relative to the issuer: the gateway's
    // public URL, which serves the portal at its root.
    private const string InvitePagePath = "invite";

    /// <summary>Creates an invitation; the answer carries the only copy of its token.</summary>
    public async Task<InvitationCreated> CreateAsync(string tenantId, InvitationCreateRequest request, MemberActor actor, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(request);
        ArgumentNullException.ThrowIfNull(actor);
        if (!MemberRoles.TryParse(request.Role, out var role))
        {
            throw new ProblemException(ProblemCatalog.InvalidRequest, $"'role' must be one of {string.Join(", ", MemberRoles.All.Select(r => $"'{r}'"))}.");
        }

        string? email = null;
        if (request.Email is not null)
        {
            email = EmailAddress.Normalize(request.Email);
            if (EmailAddress.Problem(email) is { } problem)
            {
                throw new ProblemException(ProblemCatalog.InvalidRequest, $"'email' {problem}");
            }
        }

        if (!actor.MayManageMembers)
        {
            throw new ProblemException(ProblemCatalog.Forbidden, $"The role '{MemberRoles.ToWire(actor.Role)}' may not invite members.");
        }

        if (role == MemberRole.Owner && !actor.MayManageOwners)
        {
            throw new ProblemException(ProblemCatalog.Forbidden, "Only an owner can invite an owner.");
        }

        var status = await db.Tenants.Where(t => t.Id == tenantId).Select(t => (TenantStatus?)t.Status).SingleOrDefaultAsync(ct)
            ?? throw new ProblemException(ProblemCatalog.NotFound, $"Tenant '{tenantId}' does not exist.");
        if (status == TenantStatus.Deleted)
        {
            throw new ProblemException(ProblemCatalog.Conflict, $"Tenant '{tenantId}' is deleted; nobody can join it.");
        }

        var token = Base64Url.EncodeToString(RandomNumberGenerator.GetBytes(32));
        var now = time.GetUtcNow();
        var invitation = new Invitation
        {
            Id = "inv_" + Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(8)),
            TenantId = tenantId,
            TokenHash = Hash(token),
            Email = email,
            Role = role,
            CreatedBy = audit.CurrentActor(),
            CreatedAt = now,
            ExpiresAt = now + options.Value.Lifetime,
        };
        db.Invitations.Add(invitation);
        var created = new InvitationCreated
        {
            Id = invitation.Id,
            InviteUrl = new Uri(identity.Value.Issuer!, InvitePagePath + "#token=" + token),
            Role = MemberRoles.ToWire(role),
            Email = email,
            ExpiresAt = invitation.ExpiresAt,
        };
        // The trail never holds the token: the link is left out of what is recorded.
        audit.Record("invitation.create", "invitation", invitation.Id, tenantId, null, new InvitationCreated
        {
            Id = created.Id,
            InviteUrl = new Uri(identity.Value.Issuer!, InvitePagePath),
            Role = created.Role,
            Email = email,
            ExpiresAt = created.ExpiresAt,
        });
        await db.SaveChangesAsync(ct);
        return created;
    }

    /// <summary>The signed-in <paramref name="userId"/> accepts; answers the new membership.</summary>
    public async Task<MembershipInfo> AcceptAsync(Guid userId, string userEmail, InvitationAcceptRequest request, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(request);
        if (string.IsNullOrEmpty(request.Token) || request.Token.Length > 64 || !Base64Url.IsValid(request.Token))
        {
            throw new ProblemException(ProblemCatalog.InvalidRequest, "'token' must be the token of an invitation link (base64url, 43 characters).");
        }

        var hash = Hash(request.Token);
        var invitation = await db.Invitations.Include(i => i.Tenant).SingleOrDefaultAsync(i => i.TokenHash == hash, ct);
        if (invitation is null || invitation.Tenant is null || invitation.Tenant.Status == TenantStatus.Deleted)
        {
            throw new ProblemException(ProblemCatalog.NotFound, "No invitation matches this token.");
        }

        if (invitation.AcceptedAt is not null)
        {
            throw new ProblemException(ProblemCatalog.Conflict, "This invitation was already used; ask for a new one.");
        }

        var now = time.GetUtcNow();
        if (now >= invitation.ExpiresAt)
        {
            throw new ProblemException(ProblemCatalog.Conflict, $"This invitation expired at {invitation.ExpiresAt:O}; ask for a new one.");
        }

        if (invitation.Email is not null && !string.Equals(invitation.Email, EmailAddress.Normalize(userEmail), StringComparison.Ordinal))
        {
            throw new ProblemException(ProblemCatalog.Forbidden, "This invitation is for another email address.");
        }

        if (await db.TenantMembers.AnyAsync(m => m.TenantId == invitation.TenantId && m.UserId == userId, ct))
        {
            throw new ProblemException(ProblemCatalog.Conflict, $"You are already a member of tenant '{invitation.TenantId}'.");
        }

        invitation.AcceptedAt = now;
        invitation.AcceptedBy = userId;
        db.TenantMembers.Add(new TenantMember { TenantId = invitation.TenantId, UserId = userId, Role = invitation.Role, CreatedAt = now });
        var membership = new MembershipInfo { TenantId = invitation.TenantId, TenantName = invitation.Tenant.Name, Role = MemberRoles.ToWire(invitation.Role) };
        audit.Record("member.join", "member", userId.ToString(), invitation.TenantId, null, membership);
        members.Changed(invitation.TenantId, userId);
        try
        {
            await db.SaveChangesAsync(ct);
        }
        catch (DbUpdateConcurrencyException)
        {
            throw new ProblemException(ProblemCatalog.Conflict, "This invitation was already used; ask for a new one.");
        }
        catch (DbUpdateException e) when (e.InnerException is PostgresException { SqlState: PostgresErrorCodes.UniqueViolation })
        {
            throw new ProblemException(ProblemCatalog.Conflict, $"You are already a member of tenant '{invitation.TenantId}'.");
        }

        return membership;
    }

    private static byte[] Hash(string token) => SHA256.HashData(Encoding.ASCII.GetBytes(token));
}
