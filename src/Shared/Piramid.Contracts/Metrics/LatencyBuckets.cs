namespace Piramid.Contracts.Metrics;

/// <summary>
/// The latency histogram the gateway counts per tenant and minute and the control plane sums: the upper bounds in
/// milliseconds, then one overflow bucket. Fixed, so every report and every stored minute have the same buckets and
/// add up bucket by bucket. The bounds are 1-2-5 steps from 1 ms to 10 s: a quantile read from them is within a
/// factor of 2.5 of the true value, enough to see a change of order on a chart.
/// </summary>
public static class LatencyBuckets
{
    /// <summary>Upper bounds (inclusive) of the finite buckets, in milliseconds.</summary>
    public static IReadOnlyList<double> BoundsMs { get; } = [1, 2, 5, 10, 20, 50, 100, 200, 500, 1_000, 2_000, 5_000, 10_000];

    /// <summary>Number of buckets: the finite ones and the overflow.</summary>
    public static int Count => BoundsMs.Count + 1;

    /// <summary>The bucket of a latency in milliseconds.</summary>
    public static int IndexOf(double milliseconds)
    {
        for (var i = 0; i < BoundsMs.Count; i++)
        {
            if (milliseconds <= BoundsMs[i])
            {
                return i;
            }
        }

        return BoundsMs.Count;
    }
}
