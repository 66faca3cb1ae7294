using System.Text.Json;
using Piramid.Engine.Collections;
using Piramid.Engine.Filtering;

namespace Piramid.Engine.Tests.Collections;

/// <summary>
/// <see cref="SearchPlanner"/> alone: the graph for broad filters, the indexed matches for selective filters on
/// schema fields, a full scan for selective filters nothing indexes and for collections no larger than ef.
/// The switch sits where matches² reaches α·ef·2M·N (docs/design/hnsw.md).
/// </summary>
public sealed class SearchPlannerTests
{
    private const int Points = 2000;
    private const int Ef = 64;

    // α·ef·2M·N for the stores below: the number of matches whose square equals the walk's cost.
    private static readonly double Switch = Math.Sqrt(SearchPlanner.WalkCostFactor * Ef * 2 * 16 * Points);

    [Fact]
    public void NoFilter_WalksTheGraph_OrScansAFlatCollection()
    {
        Assert.Equal(SearchPlan.Graph, SearchPlanner.Plan(Store(CollectionConfig.Hnsw, indexed: true), NoFilter, Ef, out var candidates));
        Assert.Null(candidates);
        Assert.Equal(SearchPlan.FullScan, SearchPlanner.Plan(Store(CollectionConfig.Flat, indexed: true), NoFilter, Ef, out _));
    }

    [Fact]
    public void CollectionNoLargerThanEf_IsScanned()
    {
        var store = Store(CollectionConfig.Hnsw, indexed: false, count: Ef);
        Assert.Equal(SearchPlan.FullScan, SearchPlanner.Plan(store, NoFilter, Ef, out _));
        Assert.Equal(SearchPlan.Graph, SearchPlanner.Plan(store, NoFilter, Ef - 1, out _));
    }

    [Theory]
    [InlineData(CollectionConfig.Hnsw)]
    [InlineData(CollectionConfig.Flat)]
    public void SelectiveIndexedFilter_ScoresExactlyTheListedMatches(string index)
    {
        var store = Store(index, indexed: true);
        var plan = SearchPlanner.Plan(store, Filter("""{"tag":"rare"}"""), Ef, out var candidates);

        Assert.Equal(SearchPlan.IndexedMatches, plan);
        var expected = store.Entries.Where(e => StoreTestData.MetadataText(e)!.Contains("rare", StringComparison.Ordinal)).Select(e => e.Slot).Order();
        Assert.Equal(expected, candidates!);
    }

    [Fact]
    public void IndexedFilter_SwitchesToTheGraphWhereMatchesSquaredReachTheWalkCost()
    {
        var store = Store(CollectionConfig.Hnsw, indexed: true);
        // "n" runs 0..Points-1, one point each: a range of m values matches exactly m points.
        var below = (int)Math.Floor(Switch);
        var above = (int)Math.Ceiling(Switch) + 1;
        Assert.Equal(SearchPlan.IndexedMatches, SearchPlanner.Plan(store, Filter($"{{\"n\":{{\"$lt\":{below}}}}}"), Ef, out _));
        Assert.Equal(SearchPlan.Graph, SearchPlanner.Plan(store, Filter($"{{\"n\":{{\"$lt\":{above}}}}}"), Ef, out _));
    }

    [Fact]
    public void UnindexedFilter_IsSampled_SelectiveScans_BroadWalks()
    {
        var store = Store(CollectionConfig.Hnsw, indexed: false, autoIndex: false);
        Assert.Equal(SearchPlan.FullScan, SearchPlanner.Plan(store, Filter("""{"tag":"rare"}"""), Ef, out var candidates));
        Assert.Null(candidates);
        Assert.Equal(SearchPlan.Graph, SearchPlanner.Plan(store, Filter("""{"tag":"common"}"""), Ef, out _));
        Assert.Equal(
            SearchPlan.FullScan,
            SearchPlanner.Plan(Store(CollectionConfig.Flat, indexed: false, autoIndex: false), Filter("""{"tag":"common"}"""), Ef, out _));
    }

    [Theory]
    [InlineData(CollectionConfig.Hnsw)]
    [InlineData(CollectionConfig.Flat)]
    public void SelectiveFilterOnUndeclaredField_ScoresTheAutoIndexedMatches(string index)
    {
        var store = Store(index, indexed: false);
        var plan = SearchPlanner.Plan(store, Filter("""{"tag":"rare"}"""), Ef, out var candidates);

        Assert.Equal(SearchPlan.IndexedMatches, plan);
        var expected = store.Entries.Where(e => StoreTestData.MetadataText(e)!.Contains("rare", StringComparison.Ordinal)).Select(e => e.Slot).Order();
        Assert.Equal(expected, candidates!);
        Assert.Equal(["tag", "n"], store.MetadataIndexes.AutoFieldPaths);
    }

    // Every 100th point is tagged "rare" (20 of 2000, well below the switch), the others "common".
    private static PointStore Store(string index, bool indexed, int count = Points, bool autoIndex = true)
    {
        var random = new Random(21);
        var store = new PointStore(StoreTestData.Config(index, indexed ? """{"tag":"keyword","n":"integer"}""" : null, autoIndex: autoIndex));
        for (var i = 0; i < count; i++)
        {
            StoreTestData.Put(store, StoreTestData.Point($"p{i}", StoreTestData.Vector(random), i % 100 == 0 ? "rare" : "common", i));
        }

        return store;
    }

    private static CompiledFilter NoFilter => CompiledFilter.Compile(default);

    private static CompiledFilter Filter(string json) => CompiledFilter.Compile(JsonDocument.Parse(json).RootElement);
}
