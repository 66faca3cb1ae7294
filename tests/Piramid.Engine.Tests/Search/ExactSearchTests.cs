using Piramid.Engine.Search;
using Piramid.TestKit.Datasets;

namespace Piramid.Engine.Tests.Search;

public sealed class ExactSearchTests
{
    // Float vs double scores of random 33-d vectors differ by ~1e-7 relative; 1e-5 only forgives true near-ties.
    private const double TieTolerance = 1e-5;

    public static TheoryData<DistanceMetric> Metrics() => new(Enum.GetValues<DistanceMetric>());

    [Theory]
    [MemberData(nameof(Metrics))]
    public void Search_RandomVectors_ReturnsExactTopK(DistanceMetric metric)
    {
        var baseVectors = SearchTestData.RandomVectors(seed: 21, count: 2000, dimension: 33);
        var queries = SearchTestData.RandomVectors(seed: 22, count: 20, dimension: 33);
        var slab = Fill(baseVectors);
        foreach (var query in queries)
        {
            var results = ExactSearch.Search(slab, metric, query, 10, null, null);
            var truth = BruteForce.TopK(baseVectors, query, 10, SearchTestData.ToGroundTruth(metric));
            SearchTestData.AssertExactTopK(results, truth, baseVectors, query, metric, TieTolerance);
        }
    }

    [Theory]
    [MemberData(nameof(Metrics))]
    public void Search_ReturnedScores_EqualSinglePairScore(DistanceMetric metric)
    {
        var baseVectors = SearchTestData.RandomVectors(seed: 23, count: 300, dimension: 785);
        var slab = Fill(baseVectors);
        var query = SearchTestData.RandomVectors(seed: 24, count: 1, dimension: 785)[0];

        var results = ExactSearch.Search(slab, metric, query, 25, null, null);
        Assert.Equal(25, results.Length);
        for (int i = 0; i < results.Length; i++)
        {
            Assert.Equal(ExactSearch.Score(metric, query, slab.Get(results[i].Slot)), results[i].Score);
            if (i > 0)
            {
                Assert.True(results[i - 1].Score >= results[i].Score, "results are not best first");
            }
        }
    }

    [Theory]
    [MemberData(nameof(Metrics))]
    public void Search_WithAccept_ReturnsExactTopKOfAcceptedSlots(DistanceMetric metric)
    {
        var baseVectors = SearchTestData.RandomVectors(seed: 25, count: 1000, dimension: 17);
        var slab = Fill(baseVectors);
        var query = SearchTestData.RandomVectors(seed: 26, count: 1, dimension: 17)[0];
        var evenRows = baseVectors.Where((_, row) => row % 2 == 0).ToArray();

        var results = ExactSearch.Search(slab, metric, query, 10, null, slot => slot % 2 == 0);

        var truth = BruteForce.TopK(evenRows, query, 10, SearchTestData.ToGroundTruth(metric));
        Assert.All(results, r => Assert.Equal(0, r.Slot % 2));
        SearchTestData.AssertExactTopK(results, truth, evenRows, query, metric, TieTolerance, slot => slot / 2);
    }

    [Fact]
    public void Search_RemovedSlots_AreNeitherReturnedNorOfferedToAccept()
    {
        var baseVectors = SearchTestData.RandomVectors(seed: 27, count: 200, dimension: 8);
        var slab = Fill(baseVectors);
        var query = baseVectors[50];
        slab.Remove(50);
        slab.Remove(51);
        var offered = new List<int>();

        var results = ExactSearch.Search(slab, DistanceMetric.Euclidean, query, 200, null, slot =>
        {
            offered.Add(slot);
            return true;
        });

        Assert.Equal(198, results.Length);
        Assert.DoesNotContain(results, r => r.Slot is 50 or 51);
        Assert.Equal(Enumerable.Range(0, 200).Where(s => s is not 50 and not 51), offered);
    }

    [Theory]
    [MemberData(nameof(Metrics))]
    public void Search_ScoreThreshold_KeepsExactlyTheQualifyingSlots(DistanceMetric metric)
    {
        var baseVectors = SearchTestData.RandomVectors(seed: 28, count: 500, dimension: 31);
        var slab = Fill(baseVectors);
        var query = SearchTestData.RandomVectors(seed: 29, count: 1, dimension: 31)[0];
        var all = ExactSearch.Search(slab, metric, query, 500, null, null);

        // A threshold equal to the 37th score must keep it (>=), including through Euclidean's squared floor.
        float threshold = all[36].Score;
        int expected = all.Count(r => r.Score >= threshold);
        var results = ExactSearch.Search(slab, metric, query, 100, threshold, null);

        Assert.True(expected >= 37);
        Assert.Equal(all.Take(expected), results);
        Assert.Equal(all.Take(5), ExactSearch.Search(slab, metric, query, 5, threshold, null));
    }

    [Fact]
    public void Search_EuclideanThresholdZero_ReturnsOnlyExactDuplicates()
    {
        var baseVectors = SearchTestData.RandomVectors(seed: 30, count: 100, dimension: 9);
        var slab = Fill(baseVectors);
        var query = baseVectors[42];

        var results = ExactSearch.Search(slab, DistanceMetric.Euclidean, query, 10, 0f, null);

        Assert.Equal([new ScoredSlot(42, 0f)], results);
        Assert.Empty(ExactSearch.Search(slab, DistanceMetric.Euclidean, query, 10, 0.5f, null));
    }

    [Fact]
    public void Search_KAboveCount_ReturnsEveryLiveSlot()
    {
        var slab = Fill(SearchTestData.RandomVectors(seed: 31, count: 7, dimension: 5));
        slab.Remove(3);
        var results = ExactSearch.Search(slab, DistanceMetric.Dot, new float[] { 1, 0, 0, 0, 0 }, 100, null, null);
        Assert.Equal([0, 1, 2, 4, 5, 6], results.Select(r => r.Slot).Order());
    }

    [Fact]
    public void Search_ZeroQueryCosine_ScoresZeroAndBreaksTiesBySlot()
    {
        var slab = Fill(SearchTestData.RandomVectors(seed: 32, count: 50, dimension: 6));
        var results = ExactSearch.Search(slab, DistanceMetric.Cosine, new float[6], 3, null, null);
        Assert.Equal([new(0, 0f), new(1, 0f), new(2, 0f)], results);
    }

    [Fact]
    public void Search_InvalidArguments_Throw()
    {
        var slab = Fill(SearchTestData.RandomVectors(seed: 33, count: 5, dimension: 4));
        Assert.Empty(ExactSearch.Search(slab, DistanceMetric.Dot, new float[4], 0, null, null));
        Assert.Empty(ExactSearch.Search(new VectorSlab(4), DistanceMetric.Dot, new float[4], 3, null, null));
        Assert.Throws<ArgumentException>(() => ExactSearch.Search(slab, DistanceMetric.Dot, new float[3], 1, null, null));
        Assert.Throws<ArgumentOutOfRangeException>(() => ExactSearch.Search(slab, DistanceMetric.Dot, new float[4], -1, null, null));
        Assert.Throws<ArgumentException>(() => ExactSearch.Search(slab, DistanceMetric.Dot, new float[4], 1, float.NaN, null));
        Assert.Throws<ArgumentOutOfRangeException>(() => ExactSearch.Search(slab, (DistanceMetric)99, new float[4], 1, null, null));
    }

    private static VectorSlab Fill(float[][] vectors)
    {
        var slab = new VectorSlab(vectors[0].Length, initialCapacity: 16);
        foreach (var vector in vectors)
        {
            slab.Add(vector);
        }

        return slab;
    }
}
