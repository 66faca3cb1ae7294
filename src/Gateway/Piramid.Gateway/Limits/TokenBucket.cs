namespace Piramid.Gateway.Limits;

/// <summary>
/// One token bucket refilled continuously at <c>rate</c> tokens per second up to <c>burst</c>, lazily: each take
/// first adds what the injected clock says has accrued since the last one, so an idle bucket costs no timer.
/// </summary>
/// <remarks>
/// The same arithmetic as <c>System.Threading.RateLimiting.TokenBucketRateLimiter</c> without auto-replenishment
/// (fractional tokens accrue at rate per second), but on a <see cref="TimeProvider"/> rather than the stopwatch,
/// so the plan limits can be tested on a fake clock.
/// </remarks>
public sealed class TokenBucket(int rate, int burst, TimeProvider time)
{
    private readonly Lock _lock = new();
    private double _tokens = burst;
    private long _updated = time.GetTimestamp();

    /// <summary>Bucket size.</summary>
    public int Burst => burst;

    /// <summary>Tokens per second.</summary>
    public int Rate => rate;

    /// <summary>Whole tokens available now.</summary>
    public long Available
    {
        get
        {
            lock (_lock)
            {
                Refill();
                return (long)_tokens;
            }
        }
    }

    /// <summary>Takes one token if there is one; returns the whole tokens left.</summary>
    public (bool Taken, long Remaining) TryTake()
    {
        lock (_lock)
        {
            Refill();
            if (_tokens < 1)
            {
                return (false, (long)_tokens);
            }

            _tokens -= 1;
            return (true, (long)_tokens);
        }
    }

    private void Refill()
    {
        var now = time.GetTimestamp();
        var elapsed = time.GetElapsedTime(_updated, now);
        // A clock that steps back refills nothing.
        if (elapsed > TimeSpan.Zero)
        {
            _tokens = Math.Min(burst, _tokens + (elapsed.TotalSeconds * rate));
        }

        _updated = now;
    }
}
