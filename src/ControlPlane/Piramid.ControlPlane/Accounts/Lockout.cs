namespace Piramid.ControlPlane.Accounts;

/// <summary>
/// The lockout rule: after <see cref="AccountOptions.LockoutFailures"/> failures in a row the account is locked for
/// <see cref="AccountOptions.LockoutDelay"/>, and each further failure doubles the lock, up to
/// <see cref="AccountOptions.LockoutMaxDelay"/>. A guesser gets a handful of tries an hour; the owner waits minutes.
/// </summary>
public static class Lockout
{
    /// <summary>How long the account is locked after its <paramref name="failedCount"/>-th failure in a row (zero: not locked).</summary>
    public static TimeSpan DelayAfter(int failedCount, AccountOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        if (failedCount < options.LockoutFailures)
        {
            return TimeSpan.Zero;
        }

        // 2^doublings overflows nothing: the cap is reached long before 30 doublings.
        var doublings = Math.Min(failedCount - options.LockoutFailures, 30);
        var ticks = Math.Min(options.LockoutDelay.Ticks * (1L << doublings), options.LockoutMaxDelay.Ticks);
        return TimeSpan.FromTicks(ticks);
    }
}
