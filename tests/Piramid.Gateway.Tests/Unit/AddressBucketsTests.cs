using System.Net;
using Microsoft.Extensions.Time.Testing;
using Piramid.Gateway.Limits;

namespace Piramid.Gateway.Tests.Unit;

/// <summary>The per-address buckets for unauthenticated work: a budget per address, bounded memory, idle buckets evicted.</summary>
public sealed class AddressBucketsTests
{
    private static readonly DateTimeOffset Start = new(2026, 12, 1, 0, 0, 0, TimeSpan.Zero);

    [Fact]
    public void EachAddress_GetsItsBurst_ThenWaitsForTheRefill()
    {
        var clock = new FakeTimeProvider(Start);
        var buckets = new AddressBuckets(ratePerSecond: 2, burst: 5, capacity: 100, clock);
        var a = IPAddress.Parse("198.51.100.7");
        var b = IPAddress.Parse("198.51.100.8");
        for (var i = 0; i < 5; i++)
        {
            Assert.True(buckets.TryTake(a).Admitted);
        }

        var refused = buckets.TryTake(a);
        Assert.False(refused.Admitted);
        Assert.Equal(1, refused.RetryAfterSeconds);
        Assert.True(buckets.TryTake(b).Admitted); // another address has its own budget

        clock.Advance(TimeSpan.FromMilliseconds(500)); // one token at 2 per second
        Assert.True(buckets.TryTake(a).Admitted);
        Assert.False(buckets.TryTake(a).Admitted);
    }

    [Fact]
    public void IPv6_IsKeyedByItsSlash64_AndMappedIPv4ByTheIPv4Address()
    {
        var clock = new FakeTimeProvider(Start);
        var buckets = new AddressBuckets(ratePerSecond: 1, burst: 2, capacity: 100, clock);
        Assert.True(buckets.TryTake(IPAddress.Parse("2001:db8:1:2::1")).Admitted);
        Assert.True(buckets.TryTake(IPAddress.Parse("2001:db8:1:2:ffff::9")).Admitted);
        Assert.False(buckets.TryTake(IPAddress.Parse("2001:db8:1:2:abcd::3")).Admitted);
        Assert.True(buckets.TryTake(IPAddress.Parse("2001:db8:1:3::1")).Admitted);

        Assert.True(buckets.TryTake(IPAddress.Parse("192.0.2.1")).Admitted);
        Assert.True(buckets.TryTake(IPAddress.Parse("::ffff:192.0.2.1")).Admitted);
        Assert.False(buckets.TryTake(IPAddress.Parse("192.0.2.1")).Admitted);
        Assert.Equal(3, buckets.Count);
    }

    // The class of the defect: any number of distinct addresses, in any mix, never grows the table past its
    // capacity, and all addresses past it together get one budget, not one each.
    [Theory]
    [InlineData(1)]
    [InlineData(7)]
    [InlineData(2026)]
    public void ManyAddresses_StayWithinCapacity_AndTheOverflowSharesOneBudget(int seed)
    {
        const int capacity = 200;
        const int burst = 3;
        var clock = new FakeTimeProvider(Start);
        var random = new Random(seed);
        var buckets = new AddressBuckets(ratePerSecond: 1, burst, capacity, clock);
        var admittedBeyondCapacity = 0;
        var distinct = new HashSet<IPAddress>();
        for (var i = 0; i < 20_000; i++)
        {
            var address = RandomAddress(random);
            // The first `capacity` distinct addresses get a bucket each (none is full again: the clock stands still).
            var beyondCapacity = distinct.Count >= capacity && !distinct.Contains(AddressBuckets.KeyOf(address));
            if (distinct.Count < capacity)
            {
                distinct.Add(AddressBuckets.KeyOf(address));
            }

            if (buckets.TryTake(address).Admitted && beyondCapacity)
            {
                admittedBeyondCapacity++;
            }

            Assert.Equal(distinct.Count, buckets.Count);
        }

        Assert.Equal(capacity, buckets.Count);
        Assert.Equal(burst, admittedBeyondCapacity);
    }

    [Fact]
    public void IdleBuckets_AreEvicted_SoNewAddressesGetTheirOwnAgain()
    {
        var clock = new FakeTimeProvider(Start);
        var buckets = new AddressBuckets(ratePerSecond: 1, burst: 2, capacity: 100, clock);
        for (var i = 0; i < 100; i++)
        {
            Assert.True(buckets.TryTake(IPAddress.Parse($"10.0.{i / 250}.{(i % 250) + 1}")).Admitted);
        }

        Assert.Equal(100, buckets.Count);
        clock.Advance(TimeSpan.FromSeconds(2)); // every bucket is full again: idle
        Assert.True(buckets.TryTake(IPAddress.Parse("10.1.0.1")).Admitted);
        Assert.Equal(1, buckets.Count);

        // Without pressure, idle buckets still leave within a minute.
        for (var i = 0; i < 50; i++)
        {
            buckets.TryTake(IPAddress.Parse($"10.2.0.{i + 1}"));
        }

        clock.Advance(TimeSpan.FromSeconds(61));
        buckets.TryTake(IPAddress.Parse("10.3.0.1"));
        Assert.Equal(1, buckets.Count);
    }

    private static IPAddress RandomAddress(Random random)
    {
        var bytes = new byte[random.Next(3) == 0 ? 16 : 4];
        random.NextBytes(bytes);
        return new IPAddress(bytes);
    }
}
