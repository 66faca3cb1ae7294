using Piramid.Contracts.Metrics;
using Piramid.ControlPlane.Observability;

namespace Piramid.ControlPlane.Tests.Observability;

/// <summary>Quantiles read from the fixed latency buckets land in the bucket that holds their rank.</summary>
public sealed class LatencyQuantileTests
{
    [Fact]
    public void RandomHistograms_QuantileLiesWithinTheBucketHoldingItsRank()
    {
        var random = new Random(21);
        var bounds = LatencyBuckets.BoundsMs;
        for (var round = 0; round < 500; round++)
        {
            var buckets = new long[LatencyBuckets.Count];
            for (var i = 0; i < buckets.Length; i++)
            {
                buckets[i] = random.Next(4) == 0 ? random.Next(0, 1000) : 0;
            }

            buckets[random.Next(buckets.Length)] += 1; // never empty
            foreach (var q in new[] { 0.5, 0.9, 0.99, 0.999, 1.0 })
            {
                // The bucket of the ceil(q·n)-th smallest latency.
                var rank = (long)Math.Ceiling(q * buckets.Sum());
                var index = 0;
                for (long seen = buckets[0]; seen < rank; seen += buckets[++index])
                {
                }

                var lower = index == 0 ? 0 : bounds[Math.Min(index, bounds.Count) - 1];
                var upper = index < bounds.Count ? bounds[index] : bounds[^1];
                var value = LatencyQuantile.Of(buckets, q);
                Assert.True(value >= lower && value <= upper, $"round {round}, q {q}: {value} outside [{lower}, {upper}] of bucket {index} ({string.Join(',', buckets)})");
            }
        }
    }

    [Fact]
    public void Examples_InterpolateLikePrometheus_AndCapTheOverflowAtTheLastBound()
    {
        var buckets = new long[LatencyBuckets.Count];
        buckets[LatencyBuckets.IndexOf(15)] = 100; // all in (10, 20]
        Assert.Equal(15, LatencyQuantile.Of(buckets, 0.5));
        Assert.Equal(19.9, LatencyQuantile.Of(buckets, 0.99)!.Value, 6);

        buckets[LatencyBuckets.Count - 1] = 10_000; // overflow dominates
        Assert.Equal(10_000, LatencyQuantile.Of(buckets, 0.99));
        Assert.Null(LatencyQuantile.Of(new long[LatencyBuckets.Count], 0.5));
    }
}
