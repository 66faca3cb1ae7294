namespace Piramid.ControlPlane.Accounts;

/// <summary>Account log events; never a password, code or secret, and no email for failures (enumeration).</summary>
internal static partial class AccountLog
{
    [LoggerMessage(EventId = 4101, Level = LogLevel.Information, Message = "User {UserId} signed up with tenant {TenantId}")]
    public static partial void SignedUp(ILogger logger, Guid userId, string tenantId);

    [LoggerMessage(EventId = 4102, Level = LogLevel.Information, Message = "User {UserId} signed in")]
    public static partial void SignedIn(ILogger logger, Guid userId);

    [LoggerMessage(EventId = 4103, Level = LogLevel.Warning, Message = "Sign-in failed for user {UserId}: {FailedCount} failures in a row, locked until {LockedUntil}")]
    public static partial void SignInFailed(ILogger logger, Guid userId, int failedCount, DateTimeOffset? lockedUntil);

    [LoggerMessage(EventId = 4104, Level = LogLevel.Warning, Message = "Sign-in failed for an unknown email")]
    public static partial void SignInUnknown(ILogger logger);

    [LoggerMessage(EventId = 4105, Level = LogLevel.Information, Message = "User {UserId} changed the password; {Tokens} tokens revoked")]
    public static partial void PasswordChanged(ILogger logger, Guid userId, long tokens);

    [LoggerMessage(EventId = 4106, Level = LogLevel.Information, Message = "User {UserId} turned on TOTP")]
    public static partial void TotpEnabled(ILogger logger, Guid userId);

    [LoggerMessage(EventId = 4107, Level = LogLevel.Information, Message = "User {UserId} signed in with a recovery code; {Left} left")]
    public static partial void RecoveryCodeUsed(ILogger logger, Guid userId, int left);
}
