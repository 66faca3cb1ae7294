using System.Collections.Concurrent;
using System.Globalization;
using Piramid.Contracts.Admin;

namespace Piramid.Gateway.Limits;

/// <summary>
/// Token buckets from the caller's plan, one per tenant and one per key, separately for reads and writes.
/// A request takes one token from both; the partition includes the plan's numbers, so a plan change
/// takes effect with the next introspection, without a restart. Tokens refill one at a time (period =
/// 1 s / rate), which keeps admission smooth instead of letting a whole second's worth in at once.
/// </summary>
/// <remarks>
/// The buckets (<see cref="TokenBucket"/>) refill lazily: each admission first replenishes by the time elapsed since
/// the last one, on the injected clock. An auto-replenishing bucket runs a timer every period (down to 1 ms), a
/// wake-up per period for every key and tenant that has sent a request, busy or not.
/// Buckets of keys and tenants that stopped sending are dropped (<see cref="SweepEvery"/>): a bucket idle for
/// longer than it takes to refill completely is full, exactly like a new one, so forgetting it changes no answer.
/// </remarks>
public sealed class RateLimits(TimeProvider time)
{
    /// <summary>Admissions between two sweeps of idle buckets (a sweep walks every bucket once).</summary>
    public const int SweepEvery = 4096;

    private readonly ConcurrentDictionary<string, Entry> _buckets = new(StringComparer.Ordinal);
    private long _admissions;

    /// <summary>Buckets held now (tests check idle ones are dropped).</summary>
    public int BucketCount => _buckets.Count;

    /// <summary>The outcome of one admission.</summary>
    /// <param name="Admitted">True when the request may go on.</param>
    /// <param name="Limit">Bucket size (burst) of the tighter bucket.</param>
    /// <param name="Remaining">Tokens left in the tighter bucket.</param>
    /// <param name="RetryAfterSeconds">When refused, how long until a token is back.</param>
    public readonly record struct Decision(bool Admitted, int Limit, long Remaining, int RetryAfterSeconds);

    /// <summary>Takes a token for this tenant and key, for a read or a write.</summary>
    public Decision Admit(string tenantId, string keyId, bool write, PlanInfo plan)
    {
        ArgumentNullException.ThrowIfNull(plan);
        var rate = Math.Max(1, write ? plan.WriteRatePerSecond ?? 1 : plan.ReadRatePerSecond ?? 1);
        var burst = Math.Max(1, write ? plan.WriteBurst ?? rate : plan.ReadBurst ?? rate);
        var kind = write ? "w" : "r";
        if (Interlocked.Increment(ref _admissions) % SweepEvery == 0)
        {
            SweepIdle();
        }

        var tenant = Bucket($"t:{tenantId}:{kind}:{rate}:{burst}", rate, burst);
        // A key belongs to one tenant, but a person (principal user:{id}) acts in each tenant they are a member of:
        // their bucket in one tenant is not their bucket in another.
        var key = Bucket($"k:{tenantId}:{keyId}:{kind}:{rate}:{burst}", rate, burst);

        // The key's token is taken first and not given back when the tenant has none: a key hammering a tenant that
        // is out of tokens drains its own bucket too.
        var (keyTaken, keyRemaining) = key.TryTake();
        if (!keyTaken)
        {
            return Refused(keyRemaining, burst, rate);
        }

        var (tenantTaken, tenantRemaining) = tenant.TryTake();
        if (!tenantTaken)
        {
            return Refused(tenantRemaining, burst, rate);
        }

        return new Decision(true, burst, Math.Min(tenantRemaining, keyRemaining), 0);
    }

    /// <summary>Writes <c>RateLimit-*</c> headers (and <c>Retry-After</c> when refused).</summary>
    public static void WriteHeaders(HttpResponse response, Decision decision)
    {
        ArgumentNullException.ThrowIfNull(response);
        response.Headers["RateLimit-Limit"] = decision.Limit.ToString(CultureInfo.InvariantCulture);
        response.Headers["RateLimit-Remaining"] = decision.Remaining.ToString(CultureInfo.InvariantCulture);
        response.Headers["RateLimit-Reset"] = Math.Max(decision.RetryAfterSeconds, decision.Admitted ? 0 : 1).ToString(CultureInfo.InvariantCulture);
        if (!decision.Admitted)
        {
            response.Headers.RetryAfter = Math.Max(1, decision.RetryAfterSeconds).ToString(CultureInfo.InvariantCulture);
        }
    }

    private static Decision Refused(long remaining, int burst, int rate) =>
        new(false, burst, remaining, (int)Math.Ceiling(1.0 / rate));

    private TokenBucket Bucket(string partition, int rate, int burst)
    {
        var now = time.GetUtcNow().UtcTicks;
        var entry = _buckets.GetOrAdd(partition, static (_, state) => new Entry(
            new TokenBucket(state.rate, state.burst, state.time),
            // Refilled from empty after burst / rate seconds; twice that, and at least a second, is idle.
            TimeSpan.FromSeconds(Math.Max(1, 2.0 * state.burst / state.rate))), (rate, burst, time));
        entry.LastUsed = now;
        return entry.Bucket;
    }

    // A request racing the sweep may still hold a dropped bucket: at worst it refills one bucket early, once.
    private void SweepIdle()
    {
        var now = time.GetUtcNow().UtcTicks;
        foreach (var (partition, entry) in _buckets)
        {
            if (now - entry.LastUsed > entry.IdleAfter.Ticks)
            {
                _buckets.TryRemove(new KeyValuePair<string, Entry>(partition, entry));
            }
        }
    }

    private sealed class Entry(TokenBucket bucket, TimeSpan idleAfter)
    {
        public TokenBucket Bucket { get; } = bucket;

        public TimeSpan IdleAfter { get; } = idleAfter;

        public long LastUsed { get; set; }
    }
}
