using Piramid.Engine.Search;
using Piramid.Engine.Search.Hnsw;

namespace Piramid.Engine.Tests.Search.Hnsw;

/// <summary>
/// The pooled search state: the 16-bit visited marks stay correct across the generation's wrap, and a graph
/// search reports the nodes it visited (the engine's search-candidates metric).
/// </summary>
public sealed class SearchContextTests
{
    private const int Dimension = 16;

    // A node marked in one search must read as unvisited when the 16-bit generation comes round to the same
    // value after a wrap: the wrap clears the marks. Without the clear, the node's old mark equals the new
    // generation and a walk would skip it.
    [Fact]
    public void VisitedMarks_AfterTheGenerationWraps_ANodeMarkedAtTheSameGenerationIsUnvisited()
    {
        var context = SearchContext.Rent(nodes: 10);
        try
        {
            AdvanceTo(context, 5);
            Assert.True(context.Visit(3));
            Assert.False(context.Visit(3));

            context.NewGeneration();
            AdvanceTo(context, 5);
            Assert.True(context.Visit(3), "a mark from 65,534 generations ago read as visited");
        }
        finally
        {
            SearchContext.Return(context);
        }
    }

    // Real searches across the wrap find what the first search found.
    [Fact]
    public void Searches_AcrossGenerationWraps_FindWhatTheFirstFound()
    {
        var (_, graph) = RandomGraph(nodes: 300, seed: 7);
        var queries = RandomVectors(5, seed: 8);
        var expected = queries.Select(q => Slots(graph.Search(q, 10, 32, accept: null))).ToArray();

        // 70,000 searches start at least 140,000 generations (two each): at least two wraps.
        for (var i = 0; i < 70_000; i++)
        {
            var q = i % queries.Length;
            var found = Slots(graph.Search(queries[q], 10, 32, accept: null));
            if (!found.SequenceEqual(expected[q]))
            {
                Assert.Fail($"search {i} (query {q}) found [{string.Join(',', found)}], the first found [{string.Join(',', expected[q])}]");
            }
        }
    }

    // With ef above the node count nothing is pruned: the walk visits every node of the (connected) graph and
    // returns every one of them, so the visited count equals the result count exactly.
    [Theory]
    [InlineData(1)]
    [InlineData(2)]
    [InlineData(3)]
    public void GraphSearch_ReportsTheNodesItVisited(int seed)
    {
        var (_, graph) = RandomGraph(nodes: 200, seed);
        foreach (var query in RandomVectors(3, seed + 100))
        {
            var all = graph.Search(query, 500, 500, accept: null);
            Assert.Equal(all.Length, SearchContext.LastVisited);
            Assert.True(all.Length > 190, $"{all.Length} of 200 nodes reached");

            var few = graph.Search(query, 10, 16, accept: null);
            Assert.InRange(SearchContext.LastVisited, few.Length + 1, all.Length);
        }
    }

    private static void AdvanceTo(SearchContext context, ushort generation)
    {
        while (context.Generation != generation)
        {
            context.NewGeneration();
        }
    }

    private static int[] Slots(ScoredSlot[] hits) => hits.Select(h => h.Slot).ToArray();

    private static (VectorSlab Slab, HnswGraph<CosineDistance> Graph) RandomGraph(int nodes, int seed)
    {
        var slab = new VectorSlab(Dimension);
        var graph = new HnswGraph<CosineDistance>(slab, m: 8, efConstruction: 64);
        foreach (var vector in RandomVectors(nodes, seed))
        {
            graph.Add(slab.Add(vector));
        }

        return (slab, graph);
    }

    private static float[][] RandomVectors(int count, int seed)
    {
        var random = new Random(seed);
        return Enumerable.Range(0, count)
            .Select(_ => Enumerable.Range(0, Dimension).Select(_ => (float)((random.NextDouble() * 2) - 1)).ToArray())
            .ToArray();
    }
}
