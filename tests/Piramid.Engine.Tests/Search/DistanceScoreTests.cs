using Piramid.Engine.Search;
using Piramid.TestKit.Datasets;

namespace Piramid.Engine.Tests.Search;

public sealed class DistanceScoreTests
{
    // float accumulates ~1e-7 relative error per term; 785 terms in a tree-shaped SIMD sum stay far below 1e-5.
    private const double RelativeTolerance = 1e-5;

    public static TheoryData<DistanceMetric, int> MetricsAndDimensions()
    {
        var data = new TheoryData<DistanceMetric, int>();
        foreach (var metric in Enum.GetValues<DistanceMetric>())
        {
            foreach (int dimension in SearchTestData.Dimensions)
            {
                data.Add(metric, dimension);
            }
        }

        return data;
    }

    [Theory]
    [MemberData(nameof(MetricsAndDimensions))]
    public void Score_RandomVectors_MatchesDoubleReference(DistanceMetric metric, int dimension)
    {
        var random = new Random(1000 + dimension);
        for (int trial = 0; trial < 20; trial++)
        {
            float scale = trial % 2 == 0 ? 1f : 255f;
            var a = SearchTestData.RandomVector(random, dimension, scale);
            var b = SearchTestData.RandomVector(random, dimension, scale);
            AssertScore(metric, a, b);
        }
    }

    [Theory]
    [MemberData(nameof(MetricsAndDimensions))]
    public void Score_EdgeVectors_MatchesDoubleReference(DistanceMetric metric, int dimension)
    {
        var random = new Random(2000 + dimension);
        var zero = new float[dimension];
        var a = SearchTestData.RandomVector(random, dimension);
        var negated = Array.ConvertAll(a, x => -x);
        var ones = Enumerable.Repeat(1f, dimension).ToArray();

        AssertScore(metric, zero, a);
        AssertScore(metric, a, zero);
        AssertScore(metric, zero, zero);
        AssertScore(metric, a, a);
        AssertScore(metric, a, negated);
        AssertScore(metric, ones, a);
    }

    [Theory]
    [MemberData(nameof(MetricsAndDimensions))]
    public void Score_UnalignedSpans_MatchesDoubleReference(DistanceMetric metric, int dimension)
    {
        // Slices at odd offsets make every vector load unaligned, as slots of an odd-dimension slab are.
        var random = new Random(3000 + dimension);
        var backingA = SearchTestData.RandomVector(random, dimension + 3);
        var backingB = SearchTestData.RandomVector(random, dimension + 3);
        for (int offset = 1; offset <= 3; offset++)
        {
            AssertScore(metric, backingA.AsSpan(offset, dimension), backingB.AsSpan(3 - offset, dimension));
        }
    }

    [Fact]
    public void Score_KnownValues_AreExact()
    {
        float[] a = [3f, 4f];
        float[] b = [0f, 0f];
        float[] c = [4f, -3f];
        Assert.Equal(-5f, ExactSearch.Score(DistanceMetric.Euclidean, a, b));
        Assert.Equal(0f, ExactSearch.Score(DistanceMetric.Euclidean, a, a));
        Assert.Equal(25f, ExactSearch.Score(DistanceMetric.Dot, a, a));
        Assert.Equal(0f, ExactSearch.Score(DistanceMetric.Dot, a, c));
        Assert.Equal(0f, ExactSearch.Score(DistanceMetric.Cosine, a, c));
        Assert.Equal(0f, ExactSearch.Score(DistanceMetric.Cosine, a, b));
        Assert.Equal(1f, ExactSearch.Score(DistanceMetric.Cosine, a, a), 6);
        Assert.Equal(-1f, ExactSearch.Score(DistanceMetric.Cosine, a, [-6f, -8f]), 6);
    }

    [Fact]
    public void Score_IDistanceStructs_AgreeWithExactSearchScore()
    {
        var random = new Random(42);
        var a = SearchTestData.RandomVector(random, 33);
        var b = SearchTestData.RandomVector(random, 33);
        float invA = 1f / MathF.Sqrt(a.Sum(x => x * x));
        float invB = 1f / MathF.Sqrt(b.Sum(x => x * x));
        Assert.Equal(ExactSearch.Score(DistanceMetric.Dot, a, b), DotDistance.Score(a, b, invA, invB));
        Assert.Equal(ExactSearch.Score(DistanceMetric.Euclidean, a, b), EuclideanDistance.Score(a, b, invA, invB));
        Assert.Equal(ExactSearch.Score(DistanceMetric.Cosine, a, b), CosineDistance.Score(a, b, invA, invB), 6);
    }

    [Theory]
    [MemberData(nameof(Dimensions))]
    public void SquaredL2_MatchesDoubleReference(int dimension)
    {
        var random = new Random(4000 + dimension);
        var a = SearchTestData.RandomVector(random, dimension, 255f);
        var b = SearchTestData.RandomVector(random, dimension, 255f);
        double expected = 0;
        for (int i = 0; i < dimension; i++)
        {
            expected += ((double)a[i] - b[i]) * ((double)a[i] - b[i]);
        }

        Assert.Equal(expected, VectorKernels.SquaredL2(a, b), expected * RelativeTolerance);
    }

    // The graph walk's kernel: every length through each vector width and the scalar tail, against doubles,
    // reading from an offset inside a longer array as the walk reads a slot of the slab.
    [Fact]
    public void Dot_OnReferences_MatchesDoubleReferenceAtEveryLength()
    {
        var random = new Random(4100);
        for (int dimension = 0; dimension <= 300; dimension++)
        {
            var a = SearchTestData.RandomVector(random, dimension + 8, 4f);
            var b = SearchTestData.RandomVector(random, dimension + 4, 4f);
            double expected = 0, magnitude = 0;
            for (int i = 0; i < dimension; i++)
            {
                expected += (double)a[i + 7] * b[i + 3];
                magnitude += Math.Abs((double)a[i + 7] * b[i + 3]);
            }

            float actual = VectorKernels.Dot(ref a[7], ref b[3], (nuint)dimension);
            Assert.True(Math.Abs(expected - actual) <= (magnitude * RelativeTolerance) + 1e-12, $"dimension {dimension}: {actual} vs {expected}");
        }
    }

    [Fact]
    public void Score_LengthMismatch_Throws()
    {
        Assert.Throws<ArgumentException>(() => ExactSearch.Score(DistanceMetric.Euclidean, new float[3], new float[4]));
        Assert.Throws<ArgumentException>(() => ExactSearch.Score(DistanceMetric.Dot, new float[3], new float[4]));
        Assert.Throws<ArgumentException>(() => ExactSearch.Score(DistanceMetric.Cosine, new float[3], new float[4]));
    }

    public static TheoryData<int> Dimensions() => new(SearchTestData.Dimensions);

    private static void AssertScore(DistanceMetric metric, ReadOnlySpan<float> a, ReadOnlySpan<float> b)
    {
        double expected = BruteForce.Score(SearchTestData.ToGroundTruth(metric), a, b);

        // Dot products of mixed signs cancel, so their error is bounded by the sum of |a_i * b_i|, not the result.
        double magnitude = Math.Abs(expected);
        if (metric == DistanceMetric.Dot)
        {
            magnitude = 0;
            for (int i = 0; i < a.Length; i++)
            {
                magnitude += Math.Abs((double)a[i] * b[i]);
            }
        }
        else if (metric == DistanceMetric.Cosine)
        {
            magnitude = 1;
        }

        float actual = ExactSearch.Score(metric, a, b);
        Assert.True(
            Math.Abs(actual - expected) <= (RelativeTolerance * magnitude) + 1e-6,
            $"{metric} d={a.Length}: {actual} vs reference {expected}");
    }
}
