using System.Security.Cryptography;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using Npgsql;
using Piramid.Contracts.Accounts;
using Piramid.Contracts.Admin;
using Piramid.Contracts.Identity;
using Piramid.Contracts.Names;
using Piramid.Contracts.Problems;
using Piramid.ControlPlane.Auditing;
using Piramid.ControlPlane.Data;
using Piramid.ControlPlane.Data.Entities;
using Piramid.ControlPlane.Tenants;
using Piramid.ServiceDefaults;

namespace Piramid.ControlPlane.Accounts;

/// <summary>
/// People's accounts: sign-up (a user, a tenant on the default plan and the owner membership, in one transaction),
/// sign-in with lockout and the optional second factor, password change and TOTP enrolment. Every change is audited
/// without its secrets.
/// </summary>
public sealed partial class UserAccounts(
    ControlPlaneDbContext db,
    TenantService tenants,
    UserPasswords passwords,
    UserTokens tokens,
    SecretProtector secrets,
    AuditTrail audit,
    TimeProvider time,
    IOptions<AccountOptions> options,
    ILogger<UserAccounts> logger)
{
    /// <summary>Creates the user, the tenant and the owner membership; 400 naming the field, 409 for a taken email or name.</summary>
    public async Task<SignUpResponse> SignUpAsync(SignUpRequest request, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        var email = CheckEmail(request.Email);
        var password = CheckPassword(request.Password, email, "password");
        if (!NameRules.TenantName.IsValid(request.Organization))
        {
            throw new ProblemException(ProblemCatalog.InvalidRequest, "'organization' must be 1-63 lower-case letters, digits, '_' or '-', starting with a letter or digit.");
        }

        await RequireFreeEmailAsync(email, cancellationToken);
        var user = NewUser(email, password, platformAdmin: false);
        SignUpResponse? response = null;
        try
        {
            // The tenant service saves the tenant, the user, the membership and the audit rows in one SaveChanges.
            var tenant = await tenants.CreateAsync(new TenantCreateRequest { Name = request.Organization }, t =>
            {
                db.Users.Add(user);
                db.TenantMembers.Add(new TenantMember { TenantId = t.Id, UserId = user.Id, Role = MemberRole.Owner, CreatedAt = user.CreatedAt });
                response = new SignUpResponse { UserId = user.Id, Email = email, TenantId = t.Id, TenantName = t.Name, Role = MemberRoles.Owner };
                audit.Record("user.signup", "user", user.Id.ToString(), t.Id, null, response);
            }, cancellationToken);
            AccountLog.SignedUp(logger, user.Id, tenant.Id);
            return response!;
        }
        catch (DbUpdateException e) when (e.InnerException is PostgresException { SqlState: PostgresErrorCodes.UniqueViolation } unique)
        {
            // Two sign-ups racing for one email (or one organization name): the loser writes nothing.
            throw new ProblemException(ProblemCatalog.Conflict, unique.ConstraintName == "ix_users_email"
                ? "An account with this email already exists."
                : $"An organization named '{request.Organization}' already exists.");
        }
    }

    /// <summary>
    /// Creates a user without a tenant (operators, the demo user) or returns null when the email is taken. The password
    /// is checked by the same rules as at sign-up.
    /// </summary>
    public async Task<User?> CreateUserAsync(string email, string password, bool platformAdmin, string? ownedTenantId, CancellationToken cancellationToken)
    {
        email = CheckEmail(email);
        CheckPassword(password, email, "password");
        if (await db.Users.AnyAsync(u => u.Email == email, cancellationToken))
        {
            return null;
        }

        var user = NewUser(email, password, platformAdmin);
        db.Users.Add(user);
        if (ownedTenantId is not null)
        {
            db.TenantMembers.Add(new TenantMember { TenantId = ownedTenantId, UserId = user.Id, Role = MemberRole.Owner, CreatedAt = user.CreatedAt });
        }

        audit.Record("user.create", "user", user.Id.ToString(), ownedTenantId, null, new { user.Id, user.Email, user.PlatformAdmin, OwnedTenantId = ownedTenantId });
        await db.SaveChangesAsync(cancellationToken);
        return user;
    }

    /// <summary>The user and their memberships (deleted tenants left out); null when the user does not exist.</summary>
    public async Task<MeInfo?> MeAsync(Guid userId, CancellationToken cancellationToken)
    {
        var user = await db.Users.AsNoTracking().SingleOrDefaultAsync(u => u.Id == userId, cancellationToken);
        if (user is null)
        {
            return null;
        }

        var memberships = await db.TenantMembers.AsNoTracking()
            .Where(m => m.UserId == userId && m.Tenant!.Status != TenantStatus.Deleted)
            .OrderBy(m => m.Tenant!.Name)
            .Select(m => new { m.TenantId, m.Tenant!.Name, m.Role })
            .ToListAsync(cancellationToken);
        return new MeInfo
        {
            Id = user.Id,
            Email = user.Email,
            PlatformAdmin = user.PlatformAdmin,
            TotpEnabled = user.TotpEnabled,
            Memberships = [.. memberships.Select(m => new MembershipInfo { TenantId = m.TenantId, TenantName = m.Name, Role = MemberRoles.ToWire(m.Role) })],
        };
    }

    private User NewUser(string email, string password, bool platformAdmin) => new()
    {
        Id = Guid.CreateVersion7(time.GetUtcNow()),
        Email = email,
        PasswordHash = passwords.Hash(password),
        PlatformAdmin = platformAdmin,
        SecurityStamp = NewStamp(),
        CreatedAt = time.GetUtcNow(),
    };

    private async Task RequireFreeEmailAsync(string email, CancellationToken cancellationToken)
    {
        if (await db.Users.AnyAsync(u => u.Email == email, cancellationToken))
        {
            throw new ProblemException(ProblemCatalog.Conflict, "An account with this email already exists.");
        }
    }

    private static string NewStamp() => Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(16));

    private static string CheckEmail(string? email)
    {
        var normalized = EmailAddress.Normalize(email ?? string.Empty);
        return EmailAddress.Problem(normalized) is { } problem
            ? throw new ProblemException(ProblemCatalog.InvalidRequest, problem)
            : normalized;
    }

    private static string CheckPassword(string? password, string email, string field) =>
        PasswordRules.Problem(password, email, field) is { } problem
            ? throw new ProblemException(ProblemCatalog.InvalidRequest, problem)
            : password!;
}
