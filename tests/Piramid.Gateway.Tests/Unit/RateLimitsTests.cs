using Microsoft.Extensions.Time.Testing;
using Piramid.Contracts.Admin;
using Piramid.Gateway.Limits;

namespace Piramid.Gateway.Tests.Unit;

/// <summary>The rate-limit buckets stay bounded however many distinct keys and tenants have been seen.</summary>
public sealed class RateLimitsTests
{
    [Fact]
    public void BucketsOfKeysNoLongerUsed_AreDropped_AndBucketsInUseAreKept()
    {
        var clock = new FakeTimeProvider(DateTimeOffset.UtcNow);
        var limits = new RateLimits(clock);
        var plan = new PlanInfo { Id = "p", ReadRatePerSecond = 100, ReadBurst = 200, WriteRatePerSecond = 10, WriteBurst = 20 };

        // A flood of one-off keys and tenants, reads and writes: two buckets (key and tenant) per admission.
        const int distinct = 5 * RateLimits.SweepEvery;
        for (var i = 0; i < distinct; i++)
        {
            limits.Admit($"tenant-{i}", $"key-{i}", write: i % 2 == 0, plan);
        }

        Assert.Equal(2 * distinct, limits.BucketCount); // sweeps ran, but nothing was idle yet

        // Long after, other keys keep coming: the old buckets go at the next sweep, the new ones stay.
        clock.Advance(TimeSpan.FromMinutes(5));
        for (var i = 0; i < RateLimits.SweepEvery; i++)
        {
            limits.Admit($"tenant-new-{i}", $"key-new-{i}", write: false, plan);
        }

        Assert.Equal(2 * RateLimits.SweepEvery, limits.BucketCount); // every old bucket went; the new ones, two per admission, stayed
    }
}
