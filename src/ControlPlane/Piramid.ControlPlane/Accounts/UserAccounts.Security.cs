using System.Security.Cryptography;
using Microsoft.EntityFrameworkCore;
using Piramid.Contracts.Accounts;
using Piramid.Contracts.Problems;
using Piramid.ControlPlane.Data.Entities;
using Piramid.ServiceDefaults;

namespace Piramid.ControlPlane.Accounts;

public sealed partial class UserAccounts
{
    /// <summary>
    /// Changes the password after checking the current one (a wrong one counts towards the lockout), replaces the
    /// security stamp and revokes every refresh token and authorization of the user.
    /// </summary>
    public async Task ChangePasswordAsync(Guid userId, PasswordChangeRequest request, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        var user = await RequireUserAsync(userId, cancellationToken);
        var newPassword = CheckPassword(request.NewPassword, user.Email, "new_password");
        if (user.LockedUntil > time.GetUtcNow() || !passwords.Verify(user, request.CurrentPassword ?? string.Empty))
        {
            if (user.LockedUntil <= time.GetUtcNow() || user.LockedUntil is null)
            {
                await RecordFailureAsync(user, cancellationToken);
            }

            throw new ProblemException(ProblemCatalog.InvalidRequest, "'current_password' is wrong, or the account is locked after too many failures.");
        }

        user.PasswordHash = passwords.Hash(newPassword);
        user.SecurityStamp = NewStamp();
        user.FailedCount = 0;
        user.LockedUntil = null;
        audit.Record("user.password_change", "user", user.Id.ToString(), null, null, new { user.Id });
        await db.SaveChangesAsync(cancellationToken);
        var revoked = await tokens.RevokeAllAsync(user.Id, cancellationToken);
        AccountLog.PasswordChanged(logger, user.Id, revoked);
    }

    /// <summary>Starts (or restarts) TOTP enrolment: a new secret, used only once confirmed. 409 when TOTP is already on.</summary>
    public async Task<TotpEnrolment> BeginTotpAsync(Guid userId, CancellationToken cancellationToken)
    {
        var user = await RequireUserAsync(userId, cancellationToken);
        if (user.TotpEnabled)
        {
            throw new ProblemException(ProblemCatalog.Conflict, "TOTP is already on for this account.");
        }

        var secret = RandomNumberGenerator.GetBytes(TotpCodes.SecretBytes);
        user.TotpSecret = secrets.Protect(user.Id, secret);
        user.TotpLastStep = null;
        await db.SaveChangesAsync(cancellationToken);
        var base32 = TotpCodes.Base32(secret);
        var label = Uri.EscapeDataString("Piramid:" + user.Email);
        return new TotpEnrolment
        {
            Secret = base32,
            OtpauthUri = $"otpauth://totp/{label}?secret={base32}&issuer=Piramid&algorithm=SHA1&digits={TotpCodes.Digits}&period={TotpCodes.StepSeconds}",
        };
    }

    /// <summary>Turns TOTP on with a current code of the enrolled secret; returns the recovery codes, shown this once.</summary>
    public async Task<TotpConfirmation> ConfirmTotpAsync(Guid userId, TotpConfirmRequest request, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        var user = await RequireUserAsync(userId, cancellationToken);
        if (user.TotpEnabled)
        {
            throw new ProblemException(ProblemCatalog.Conflict, "TOTP is already on for this account.");
        }

        if (user.TotpSecret is null)
        {
            throw new ProblemException(ProblemCatalog.Conflict, "No TOTP enrolment is pending: POST /v1/me/totp first.");
        }

        var code = request.Code?.Trim() ?? string.Empty;
        if (code.Length != TotpCodes.Digits
            || TotpCodes.Match(secrets.Unprotect(user.Id, user.TotpSecret), code, time.GetUtcNow(), null) is not { } step)
        {
            throw new ProblemException(ProblemCatalog.InvalidRequest, "'code' is not a current code of the enrolled secret.");
        }

        var codes = RecoveryCodes.Create();
        user.TotpEnabled = true;
        user.TotpLastStep = step;
        user.RecoveryCodeHashes = [.. codes.Select(RecoveryCodes.Hash)];
        audit.Record("user.totp_enable", "user", user.Id.ToString(), null, null, new { user.Id });
        await db.SaveChangesAsync(cancellationToken);
        AccountLog.TotpEnabled(logger, user.Id);
        return new TotpConfirmation { RecoveryCodes = codes };
    }

    private async Task<User> RequireUserAsync(Guid userId, CancellationToken cancellationToken) =>
        await db.Users.SingleOrDefaultAsync(u => u.Id == userId, cancellationToken)
            ?? throw new ProblemException(ProblemCatalog.Unauthorized, "The token's user no longer exists.");
}
