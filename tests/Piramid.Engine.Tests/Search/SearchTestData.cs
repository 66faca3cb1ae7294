using Piramid.Engine.Search;
using Piramid.TestKit.Datasets;

namespace Piramid.Engine.Tests.Search;

/// <summary>Seeded vectors and ground-truth checks shared by the search tests.</summary>
internal static class SearchTestData
{
    /// <summary>Dimensions that exercise every SIMD width and every tail length (1..15 leftovers).</summary>
    public static readonly int[] Dimensions = [1, 2, 3, 4, 5, 7, 8, 9, 15, 16, 17, 31, 32, 33, 63, 64, 65, 127, 255, 256, 257, 784, 785];

    public static float[] RandomVector(Random random, int dimension, float scale = 1f)
    {
        var vector = new float[dimension];
        for (int i = 0; i < dimension; i++)
        {
            vector[i] = (float)((random.NextDouble() * 2) - 1) * scale;
        }

        return vector;
    }

    public static float[][] RandomVectors(int seed, int count, int dimension)
    {
        var random = new Random(seed);
        var vectors = new float[count][];
        for (int i = 0; i < count; i++)
        {
            vectors[i] = RandomVector(random, dimension);
        }

        return vectors;
    }

    public static GroundTruthMetric ToGroundTruth(DistanceMetric metric) => metric switch
    {
        DistanceMetric.Cosine => GroundTruthMetric.Cosine,
        DistanceMetric.Dot => GroundTruthMetric.Dot,
        DistanceMetric.Euclidean => GroundTruthMetric.Euclidean,
        _ => throw new ArgumentOutOfRangeException(nameof(metric)),
    };

    /// <summary>
    /// Asserts that <paramref name="results"/> are the exact top-k: position by position, the double-precision
    /// score of the returned row equals the ground truth's score at that position within
    /// <paramref name="relativeTolerance"/>, so rows may differ from the ground truth only where scores tie.
    /// </summary>
    public static void AssertExactTopK(
        ScoredSlot[] results,
        Neighbor[] truth,
        float[][] baseVectors,
        float[] query,
        DistanceMetric metric,
        double relativeTolerance,
        Func<int, int>? slotToRow = null)
    {
        Assert.Equal(truth.Length, results.Length);
        var seen = new HashSet<int>();
        for (int i = 0; i < results.Length; i++)
        {
            int row = slotToRow is null ? results[i].Slot : slotToRow(results[i].Slot);
            Assert.True(seen.Add(row), $"row {row} returned twice");
            double score = BruteForce.Score(ToGroundTruth(metric), query, baseVectors[row]);
            double expected = truth[i].Score;
            double tolerance = (relativeTolerance * Math.Abs(expected)) + 1e-9;
            Assert.True(
                Math.Abs(score - expected) <= tolerance,
                $"position {i}: row {row} scores {score}, ground truth row {truth[i].Index} scores {expected}");
        }
    }
}
