using System.Runtime.InteropServices;
using Piramid.Contracts;
using Piramid.Contracts.Points;
using Piramid.Engine.Filtering;
using Piramid.Engine.Search;

namespace Piramid.Engine.Collections;

/// <summary>
/// Top-k search and its plan: the graph index when the collection has one, exact search when the filter is
/// so selective that scanning its matches is cheaper than walking the graph (and always for flat collections).
/// </summary>
public sealed partial class Collection
{
    // How many points a filter is sampled on to estimate its selectivity when no index can tell.
    private const int SelectivitySample = 256;

    // α of the plan below.
    private const double WalkCostFactor = 0.2;

    /// <summary>Top-k search with an optional filter and score threshold.</summary>
    public SearchResponse Search(SearchRequest request) => Search(request, _options.MaxVectorValue, checkAnswerSize: true);

    /// <summary>
    /// Search with a query made by the engine from stored vectors (recommend's <c>2·mean(positive) − mean(negative)</c>
    /// may reach three times the value bound); such a query only needs to be finite. The caller has checked the
    /// size of its own answer, which may be smaller than this search's (example points are dropped from it).
    /// </summary>
    internal SearchResponse SearchDerived(SearchRequest request) => Search(request, float.MaxValue, checkAnswerSize: false);

    private SearchResponse Search(SearchRequest request, float maxQueryValue, bool checkAnswerSize)
    {
        ArgumentNullException.ThrowIfNull(request);
        ThrowIfUnavailable();
        var query = PointValidator.CheckVector(request.Vector, Config.Dimension, "vector", maxQueryValue);
        var topK = request.TopK ?? DefaultTopK;
        if (topK < 1 || topK > Limits.MaxTopK)
        {
            throw EngineException.Invalid($"'top_k' must be between 1 and {Limits.MaxTopK}; got {topK}.");
        }

        if (request.Ef is int requestedEf && (requestedEf < 1 || requestedEf > Limits.MaxTopK))
        {
            throw EngineException.Invalid($"'ef' must be between 1 and {Limits.MaxTopK}; got {requestedEf}.");
        }

        if (request.ScoreThreshold is float threshold && !float.IsFinite(threshold))
        {
            throw EngineException.Invalid("'score_threshold' must be a finite number.");
        }

        var includeVector = request.IncludeVector ?? false;
        if (includeVector && checkAnswerSize)
        {
            CheckVectorsPerAnswer(topK, "top_k");
        }

        var filter = CompileFilter(request.Filter);
        var includeMetadata = request.IncludeMetadata ?? true;
        var ef = Math.Max(request.Ef ?? Config.Ef, topK);
        _lock.EnterReadLock();
        try
        {
            ThrowIfUnavailable();
            var bySlot = _bySlot;
            Func<int, bool>? accept = filter.MatchesAll ? null : slot => bySlot[slot] is { } entry && filter.Matches(entry.Metadata);
            var hits = Plan(filter, ef, out var candidates) switch
            {
                SearchPlan.Graph => GraphSearch(query, topK, ef, request.ScoreThreshold, accept),
                SearchPlan.IndexedMatches => ExactSearch.SearchCandidates(
                    _vectors, Config.Metric, query, topK, request.ScoreThreshold, CollectionsMarshal.AsSpan(candidates), accept),
                _ => ExactSearch.Search(_vectors, Config.Metric, query, topK, request.ScoreThreshold, accept),
            };
            var results = new List<ScoredPointOutput>(hits.Length);
            foreach (var hit in hits)
            {
                var entry = bySlot[hit.Slot]!;
                results.Add(new ScoredPointOutput
                {
                    Id = entry.Id,
                    Score = FiniteScore.Saturate(hit.Score),
                    Metadata = includeMetadata ? MetadataOrNull(entry) : null,
                    Vector = includeVector ? _vectors.Get(hit.Slot).ToArray() : null,
                });
            }

            return new SearchResponse { Results = results };
        }
        finally
        {
            _lock.ExitReadLock();
        }
    }

    /// <summary>Checks a vector against the collection's dimension and the engine's value bound (400 naming <paramref name="path"/>).</summary>
    internal float[] CheckVector(float[]? vector, string path) =>
        PointValidator.CheckVector(vector, Config.Dimension, path, _options.MaxVectorValue);

    private ScoredSlot[] GraphSearch(float[] query, int topK, int ef, float? scoreThreshold, Func<int, bool>? accept)
    {
        var hits = _index!.Search(query, topK, ef, accept);
        if (scoreThreshold is not float threshold)
        {
            return hits;
        }

        var kept = 0;
        while (kept < hits.Length && hits[kept].Score >= threshold)
        {
            kept++;
        }

        return kept == hits.Length ? hits : hits[..kept];
    }

    private enum SearchPlan
    {
        /// <summary>Walk the graph, applying the filter during the walk.</summary>
        Graph,

        /// <summary>Score exactly the points a metadata index lists as possible matches.</summary>
        IndexedMatches,

        /// <summary>Score every live point exactly.</summary>
        FullScan,
    }

    // The plan. Walking the graph with a filter of selectivity s visits about v/s nodes, where v (~ ef·M0)
    // is the unfiltered walk; scoring only the matches costs s·N distances, each a random read of a whole
    // vector, which costs several walk steps. Scoring the matches wins when s·N < α·v/s, that is when
    // matches² < α·ef·M0·N; α = 1/5 puts the switch where the ann benchmark measured it on Fashion-MNIST
    // (about 6% matching at ef 64, docs/design/hnsw.md). Metadata indexes give the number of matches and list
    // them; without an index the share is sampled and the scan visits every point. Collections no larger
    // than ef are scanned: exact and as cheap.
    private SearchPlan Plan(CompiledFilter filter, int ef, out List<int>? candidates)
    {
        candidates = null;
        var count = _points.Count;
        var graph = _index is not null && count > ef;
        if (filter.MatchesAll)
        {
            return graph ? SearchPlan.Graph : SearchPlan.FullScan;
        }

        var walkCost = graph ? WalkCostFactor * ef * 2 * _index!.M * count : double.PositiveInfinity;
        if (_metadataIndexes.Estimate(filter) is long matches)
        {
            if ((double)matches * matches >= walkCost)
            {
                return SearchPlan.Graph;
            }

            candidates = new List<int>((int)Math.Min(matches, count));
            return _metadataIndexes.TryCollect(filter, candidates) ? SearchPlan.IndexedMatches : SearchPlan.FullScan;
        }

        if (!graph)
        {
            return SearchPlan.FullScan;
        }

        var sampled = EstimateMatches(filter, count);
        return sampled * sampled >= walkCost ? SearchPlan.Graph : SearchPlan.FullScan;
    }

    // Evaluates the filter on points spread evenly over the slots and scales the share up to the collection.
    private double EstimateMatches(CompiledFilter filter, int count)
    {
        var bySlot = _bySlot;
        var highWater = Math.Min(_vectors.HighWater, bySlot.Length);
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
