using Microsoft.EntityFrameworkCore;
using Piramid.ControlPlane.Data.Entities;

namespace Piramid.ControlPlane.Accounts;

public sealed partial class UserAccounts
{
    /// <summary>
    /// Checks an email and password. A locked account, an unknown email and a wrong password all fail alike and cost
    /// one password hash each; a failure counts towards the lockout, a success resets it.
    /// </summary>
    public async Task<SignInOutcome> SignInAsync(string? email, string? password, CancellationToken cancellationToken)
    {
        var normalized = EmailAddress.Normalize(email ?? string.Empty);
        var user = normalized.Length is 0 or > EmailAddress.MaxLength
            ? null
            : await db.Users.SingleOrDefaultAsync(u => u.Email == normalized, cancellationToken);
        var now = time.GetUtcNow();
        var locked = user?.LockedUntil > now;
        // Hashed even when the answer is already known (unknown or locked), so timing tells none of them apart.
        var valid = passwords.Verify(locked ? null : user, password is { Length: > 0 and <= PasswordRules.MaxLength } ? password : string.Empty);
        if (user is null)
        {
            AccountLog.SignInUnknown(logger);
            return SignInOutcome.Failed;
        }

        if (locked)
        {
            // Attempts while locked do not extend the lock: a guesser cannot keep the owner out for longer.
            AccountLog.SignInFailed(logger, user.Id, user.FailedCount, user.LockedUntil);
            return SignInOutcome.Failed;
        }

        if (!valid)
        {
            await RecordFailureAsync(user, cancellationToken);
            return SignInOutcome.Failed;
        }

        if (user.TotpEnabled)
        {
            return new SignInOutcome(user, NeedsCode: true);
        }

        await RecordSuccessAsync(user, cancellationToken);
        return new SignInOutcome(user, NeedsCode: false);
    }

    /// <summary>
    /// The second step for a user with TOTP on: a current code not used before, or an unused recovery code (then
    /// spent). Failures count towards the same lockout as passwords.
    /// </summary>
    public async Task<SignInOutcome> SignInWithCodeAsync(Guid userId, string securityStamp, string? code, CancellationToken cancellationToken)
    {
        var user = await db.Users.SingleOrDefaultAsync(u => u.Id == userId, cancellationToken);
        var now = time.GetUtcNow();
        if (user is null || !user.TotpEnabled || user.TotpSecret is null || user.SecurityStamp != securityStamp || user.LockedUntil > now)
        {
            return SignInOutcome.Failed;
        }

        code = (code ?? string.Empty).Trim();
        if (code.Length is > 0 and <= 32 && RecoveryCodes.LooksLikeOne(code))
        {
            var hash = RecoveryCodes.Hash(code);
            if (user.RecoveryCodeHashes.Remove(hash))
            {
                // A new list instance, so EF Core sees the array column change.
                user.RecoveryCodeHashes = [.. user.RecoveryCodeHashes];
                await RecordSuccessAsync(user, cancellationToken);
                AccountLog.RecoveryCodeUsed(logger, user.Id, user.RecoveryCodeHashes.Count);
                return new SignInOutcome(user, NeedsCode: false);
            }
        }
        else if (code.Length == TotpCodes.Digits
            && TotpCodes.Match(secrets.Unprotect(user.Id, user.TotpSecret), code, now, user.TotpLastStep) is { } step)
        {
            user.TotpLastStep = step;
            await RecordSuccessAsync(user, cancellationToken);
            return new SignInOutcome(user, NeedsCode: false);
        }

        await RecordFailureAsync(user, cancellationToken);
        return SignInOutcome.Failed;
    }

    private async Task RecordFailureAsync(User user, CancellationToken cancellationToken)
    {
        user.FailedCount++;
        var delay = Lockout.DelayAfter(user.FailedCount, options.Value);
        user.LockedUntil = delay > TimeSpan.Zero ? time.GetUtcNow() + delay : null;
        await db.SaveChangesAsync(cancellationToken);
        AccountLog.SignInFailed(logger, user.Id, user.FailedCount, user.LockedUntil);
    }

    private async Task RecordSuccessAsync(User user, CancellationToken cancellationToken)
    {
        user.FailedCount = 0;
        user.LockedUntil = null;
        await db.SaveChangesAsync(cancellationToken);
        AccountLog.SignedIn(logger, user.Id);
    }
}
