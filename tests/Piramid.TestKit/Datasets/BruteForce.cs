namespace Piramid.TestKit.Datasets;

/// <summary>Exact nearest neighbours in double precision: the ground truth engine results are checked against.</summary>
public static class BruteForce
{
    /// <summary>
    /// The <paramref name="k"/> best rows of <paramref name="baseVectors"/> for <paramref name="query"/>, best first,
    /// ties broken by the smaller row.
    /// </summary>
    public static Neighbor[] TopK(float[][] baseVectors, float[] query, int k, GroundTruthMetric metric)
    {
        ArgumentNullException.ThrowIfNull(baseVectors);
        ArgumentNullException.ThrowIfNull(query);
        ArgumentOutOfRangeException.ThrowIfNegative(k);
        var all = new Neighbor[baseVectors.Length];
        for (int i = 0; i < baseVectors.Length; i++)
        {
            all[i] = new Neighbor(i, Score(metric, query, baseVectors[i]));
        }

        Array.Sort(all, static (a, b) => a.Score != b.Score ? b.Score.CompareTo(a.Score) : a.Index.CompareTo(b.Index));
        return all.AsSpan(0, Math.Min(k, all.Length)).ToArray();
    }

    /// <summary>The score of one pair in double precision.</summary>
    public static double Score(GroundTruthMetric metric, ReadOnlySpan<float> a, ReadOnlySpan<float> b)
    {
        if (a.Length != b.Length)
        {
            throw new ArgumentException("The vectors must have the same length.", nameof(b));
        }

        double dot = 0, normA = 0, normB = 0, squared = 0;
        for (int i = 0; i < a.Length; i++)
        {
            double x = a[i], y = b[i];
            dot += x * y;
            normA += x * x;
            normB += y * y;
            squared += (x - y) * (x - y);
        }

        return metric switch
        {
            GroundTruthMetric.Cosine => normA == 0 || normB == 0 ? 0 : dot / (Math.Sqrt(normA) * Math.Sqrt(normB)),
            GroundTruthMetric.Dot => dot,
            GroundTruthMetric.Euclidean => -Math.Sqrt(squared),
            _ => throw new ArgumentOutOfRangeException(nameof(metric), metric, "Unknown metric."),
        };
    }
}
