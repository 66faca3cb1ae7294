using Piramid.Contracts.Metrics;

namespace Piramid.ControlPlane.Observability;

/// <summary>
/// A quantile read from <see cref="LatencyBuckets"/> counts, as Prometheus's <c>histogram_quantile</c> does: find the
/// bucket holding the rank, then interpolate linearly between its bounds (the first bucket starts at 0). A rank in the
/// overflow bucket answers the last finite bound, the most the histogram can say.
/// </summary>
public static class LatencyQuantile
{
    /// <summary>The <paramref name="q"/> quantile (0-1) in milliseconds, or null when the buckets hold nothing.</summary>
    public static double? Of(IReadOnlyList<long> buckets, double q)
    {
        ArgumentNullException.ThrowIfNull(buckets);
        var total = buckets.Sum();
        if (total == 0)
        {
            return null;
        }

        var bounds = LatencyBuckets.BoundsMs;
        var rank = q * total;
        long below = 0;
        for (var i = 0; i < buckets.Count; i++)
        {
            var count = buckets[i];
            if (count > 0 && below + count >= rank)
            {
                if (i >= bounds.Count)
                {
                    return bounds[^1];
                }

                var lower = i == 0 ? 0 : bounds[i - 1];
                return lower + ((bounds[i] - lower) * (rank - below) / count);
            }

            below += count;
        }

        return bounds[^1];
    }
}
