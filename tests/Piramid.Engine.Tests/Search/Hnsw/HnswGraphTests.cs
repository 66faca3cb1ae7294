using Piramid.Engine.Search;
using Piramid.Engine.Search.Hnsw;
using Piramid.TestKit;
using Piramid.TestKit.Datasets;

namespace Piramid.Engine.Tests.Search.Hnsw;

/// <summary>Recall of the graph against exact search on real data (Fashion-MNIST from Debian), fixed seeds.</summary>
public sealed class HnswGraphTests
{
    private const int BaseCount = 5_000;
    private const int QueryCount = 100;
    private const int K = 10;

    [Fact]
    public void Recall_AtEf64_IsAtLeast095_AndDeletedSlotsNeverReturn()
    {
        var baseVectors = FashionMnist.Load(BaseCount);
        var queries = FashionMnist.Load(QueryCount, test: true);
        var slab = new VectorSlab(FashionMnist.Dimension);
        var graph = new HnswGraph<EuclideanDistance>(slab, m: 16, efConstruction: 100);
        foreach (var vector in baseVectors)
        {
            graph.Add(slab.Add(vector));
        }

        var recall = Recall(slab, graph, queries, ef: 64);
        Assert.True(recall >= 0.95, $"recall {recall:F3}");

        // Delete every third slot: none of them may come back, and recall over the rest holds.
        for (var slot = 0; slot < BaseCount; slot += 3)
        {
            graph.MarkDeleted(slot);
        }

        static bool Live(int slot) => slot % 3 != 0;
        double hits = 0;
        foreach (var query in queries)
        {
            var found = graph.Search(query, K, 64, accept: null);
            Assert.All(found, hit => Assert.True(Live(hit.Slot)));
            var truth = ExactSearch.Search(slab, DistanceMetric.Euclidean, query, K, null, Live).Select(h => h.Slot).ToHashSet();
            hits += found.Count(h => truth.Contains(h.Slot));
        }

        Assert.True(hits / (QueryCount * K) >= 0.95, $"recall after deletes {hits / (QueryCount * K):F3}");
    }

    // The walk itself with a filter (the collection's planner sends selective filters to exact search instead).
    [Theory]
    [InlineData(10)]
    [InlineData(100)]
    public void FilteredSearch_ReturnsOnlyAcceptedSlots_WithRecall(int oneIn)
    {
        var baseVectors = FashionMnist.Load(BaseCount);
        var queries = FashionMnist.Load(QueryCount, test: true);
        var slab = new VectorSlab(FashionMnist.Dimension);
        var graph = new HnswGraph<EuclideanDistance>(slab, m: 16, efConstruction: 100);
        foreach (var vector in baseVectors)
        {
            graph.Add(slab.Add(vector));
        }

        // 10% or 1% of the points match.
        bool Accept(int slot) => slot % oneIn == 7;
        double hits = 0;
        foreach (var query in queries)
        {
            var truth = ExactSearch.Search(slab, DistanceMetric.Euclidean, query, K, null, Accept).Select(h => h.Slot).ToHashSet();
            var found = graph.Search(query, K, 128, Accept);
            Assert.All(found, h => Assert.True(Accept(h.Slot)));
            hits += found.Count(h => truth.Contains(h.Slot));
        }

        Assert.True(hits / (QueryCount * K) >= 0.95, $"filtered recall {hits / (QueryCount * K):F3}");
    }

    // The pooled search state (visited set, heaps, query buffers) leaves only the result array to allocate.
    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public void Search_InSteadyState_AllocatesOnlyItsResultArray(bool int8)
    {
        var slab = new VectorSlab(FashionMnist.Dimension);
        var index = HnswIndex.Create(slab, DistanceMetric.Euclidean, m: 16, efConstruction: 64, int8);
        foreach (var vector in FashionMnist.Load(3_000))
        {
            var slot = slab.Add(vector);
            index.Reserve(slot, HnswLevels.LevelFor(HnswLevels.Mix((ulong)slot), 16));
            index.Link(slot);
        }

        Assert.Equal(int8, index.CodeBytes > 0);
        var queries = FashionMnist.Load(20, test: true);
        foreach (var query in queries)
        {
            index.Search(query, K, 64, accept: null);
        }

        var perSearch = Allocations.FewestBytes(() =>
        {
            for (var i = 0; i < 100; i++)
            {
                index.Search(queries[i % queries.Length], K, 64, accept: null);
            }
        }) / 100.0;
        var resultArray = 24 + (K * 8); // array header + 10 (slot, score) pairs
        Assert.True(perSearch <= resultArray + 16, $"{perSearch:F0} bytes allocated per search; the result array is {resultArray}");
    }

    private static double Recall(VectorSlab slab, HnswGraph<EuclideanDistance> graph, float[][] queries, int ef)
    {
        double hits = 0;
        foreach (var query in queries)
        {
            var truth = ExactSearch.Search(slab, DistanceMetric.Euclidean, query, K, null, null).Select(h => h.Slot).ToHashSet();
            hits += graph.Search(query, K, ef, accept: null).Count(h => truth.Contains(h.Slot));
        }

        return hits / (queries.Length * K);
    }
}
