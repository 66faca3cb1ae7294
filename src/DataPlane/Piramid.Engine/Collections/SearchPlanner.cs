using Piramid.Engine.Filtering;

namespace Piramid.Engine.Collections;

/// <summary>
/// Chooses how a top-k search is answered: the graph index when the collection has one, exact search when the
/// filter is so selective that scanning its matches is cheaper than walking the graph (and always for flat
/// collections). Reads the store only; call it under the collection's read lock.
/// </summary>
internal static class SearchPlanner
{
    /// <summary>How many points a filter is sampled on to estimate its selectivity when no index can tell.</summary>
    public const int SelectivitySample = 256;

    /// <summary>α of the plan below.</summary>
    public const double WalkCostFactor = 0.2;

    // Walking the graph with a filter of selectivity s visits about v/s nodes, where v (~ ef·M0) is the
    // unfiltered walk; scoring only the matches costs s·N distances, each a random read of a whole vector,
    // which costs several walk steps. Scoring the matches wins when s·N < α·v/s, that is when
    // matches² < α·ef·M0·N; α = 1/5 puts the switch where the ann benchmark measured it on Fashion-MNIST
    // (about 6% matching at ef 64, docs/design/hnsw.md). Metadata indexes give the number of matches and list
    // them; without an index the share is sampled and the scan visits every point. Collections no larger
    // than ef are scanned: exact and as cheap.

    /// <summary>
    /// The plan for a search of <paramref name="store"/> with <paramref name="filter"/> at <paramref name="ef"/>.
    /// For <see cref="SearchPlan.IndexedMatches"/>, <paramref name="candidates"/> lists the slots to score (a
    /// superset of the matches); otherwise it is null.
    /// </summary>
    public static SearchPlan Plan(PointStore store, CompiledFilter filter, int ef, out List<int>? candidates)
    {
        ArgumentNullException.ThrowIfNull(store);
        ArgumentNullException.ThrowIfNull(filter);
        candidates = null;
        var count = store.Count;
        var index = store.Index;
        var graph = index is not null && count > ef;
        if (filter.MatchesAll)
        {
            return graph ? SearchPlan.Graph : SearchPlan.FullScan;
        }

        var walkCost = graph ? WalkCostFactor * ef * 2 * index!.M * count : double.PositiveInfinity;
        if (store.MetadataIndexes.Estimate(filter) is long matches)
        {
            if ((double)matches * matches >= walkCost)
            {
                return SearchPlan.Graph;
            }

            candidates = new List<int>((int)Math.Min(matches, count));
            return store.MetadataIndexes.TryCollect(filter, candidates) ? SearchPlan.IndexedMatches : SearchPlan.FullScan;
        }

        if (!graph)
        {
            return SearchPlan.FullScan;
        }

        var sampled = EstimateMatches(store, filter, count);
        return sampled * sampled >= walkCost ? SearchPlan.Graph : SearchPlan.FullScan;
    }

    // Evaluates the filter on points spread evenly over the slots and scales the share up to the collection.
    private static double EstimateMatches(PointStore store, CompiledFilter filter, int count)
    {
        var bySlot = store.BySlot;
        var highWater = Math.Min(store.Vectors.HighWater, bySlot.Length);
        var step = Math.Max(1, highWater / SelectivitySample);
        int sampled = 0, matched = 0;
        for (var slot = 0; slot < highWater; slot += step)
        {
            if (bySlot[slot] is { } entry)
            {
                sampled++;
                matched += filter.Matches(entry.Metadata) ? 1 : 0;
            }
        }

        return sampled == 0 ? 0 : (double)matched / sampled * count;
    }
}
