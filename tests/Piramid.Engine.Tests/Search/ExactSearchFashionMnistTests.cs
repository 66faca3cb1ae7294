using Piramid.Engine.Search;
using Piramid.TestKit.Datasets;

namespace Piramid.Engine.Tests.Search;

/// <summary>The quality gate on real data: exact search must return the double-precision brute-force top-10.</summary>
public sealed class ExactSearchFashionMnistTests
{
    private const int BaseCount = 5_000;
    private const int QueryCount = 50;
    private const int K = 10;

    // Rows may swap only when their double-precision scores tie within this relative margin; float rounding of
    // 784-d sums of pixel values 0..255 is ~1e-6 relative, so anything larger is a real ranking error.
    private const double TieTolerance = 1e-4;

    [Theory]
    [InlineData(DistanceMetric.Euclidean)]
    [InlineData(DistanceMetric.Cosine)]
    public void ExactSearch_FashionMnist_ReturnsExactGroundTruth(DistanceMetric metric)
    {
        var baseVectors = FashionMnist.Load(BaseCount);
        var queries = FashionMnist.Load(QueryCount, test: true);
        Assert.Equal(FashionMnist.Dimension, baseVectors[0].Length);
        var slab = new VectorSlab(FashionMnist.Dimension);
        foreach (var vector in baseVectors)
        {
            slab.Add(vector);
        }

        int identicalIds = 0;
        foreach (var query in queries)
        {
            var results = ExactSearch.Search(slab, metric, query, K, null, null);
            var truth = BruteForce.TopK(baseVectors, query, K, SearchTestData.ToGroundTruth(metric));
            SearchTestData.AssertExactTopK(results, truth, baseVectors, query, metric, TieTolerance);
            identicalIds += results.Select(r => r.Slot).SequenceEqual(truth.Select(t => t.Index)) ? 1 : 0;
        }

        // Ties are rare on real images: nearly every query must match id for id, not just within tolerance.
        Assert.True(identicalIds >= QueryCount - 2, $"only {identicalIds} of {QueryCount} queries matched id for id");
    }
}
