using System.Diagnostics;
using System.Runtime.InteropServices;
using Piramid.Contracts;
using Piramid.Engine.Queries;
using Piramid.Engine.Search;
using Piramid.Engine.Search.Hnsw;

namespace Piramid.Engine.Collections;

/// <summary>Top-k search: checks the query, asks <see cref="SearchPlanner"/> for a plan, runs it under the read lock.</summary>
public sealed partial class Collection
{
    /// <summary>Top-k search by a vector or a stored point, with an optional filter, score threshold and offset.</summary>
    public IReadOnlyList<ScoredPoint> Search(SearchQuery query) => Search(query, _options.MaxVectorValue, checkAnswerSize: true);

    /// <summary>
    /// Search with a query made by the engine from stored vectors (recommend's <c>2·mean(positive) − mean(negative)</c>
    /// may reach three times the value bound); such a query only needs to be finite. The caller has checked the
    /// size of its own answer, which may be smaller than this search's (example points are dropped from it).
    /// </summary>
    internal IReadOnlyList<ScoredPoint> SearchDerived(SearchQuery query) => Search(query, float.MaxValue, checkAnswerSize: false);

    private List<ScoredPoint> Search(SearchQuery request, float maxQueryValue, bool checkAnswerSize)
    {
        ArgumentNullException.ThrowIfNull(request);
        ThrowIfUnavailable();
        var selfId = request.PointId;
        var query = CheckQueryVector(request, maxQueryValue);
        var topK = request.TopK ?? DefaultTopK;
        if (topK < 1 || topK > Limits.MaxTopK)
        {
            throw EngineException.Invalid($"'top_k' must be between 1 and {Limits.MaxTopK}; got {topK}.");
        }

        var offset = request.Offset ?? 0;
        if (offset < 0 || offset > Limits.MaxSearchOffset)
        {
            throw EngineException.Invalid($"'offset' must be between 0 and {Limits.MaxSearchOffset}; got {offset}.");
        }

        if (offset + topK > Limits.MaxTopK)
        {
            throw EngineException.Invalid($"'offset' + 'top_k' must be at most {Limits.MaxTopK}; got {offset} + {topK}.");
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

        // The ranking is computed to offset + top_k (one more when the query point itself may be among it, to be
        // dropped). ef counts from the page's first rank: a page at offset o searches with ef + o, so every page has
        // the candidate margin the first one has. With ef only raised to the depth, the last ranks of a page were the
        // least accurate and the next page repeated a point (SearchByIdTests.Pages_OnTheGraphIndex_HaveNoDuplicates).
        var depth = offset + topK + (selfId is null ? 0 : 1);
        var ef = Math.Max((request.Ef ?? Config.Ef) + offset, depth);
        var started = Stopwatch.GetTimestamp();
        var visited = 0;
        var tailScanned = 0;
        _lock.EnterReadLock();
        try
        {
            ThrowIfUnavailable();
            if (selfId is not null)
            {
                // Read under the same lock as the search, so the query is the vector the point has in this snapshot.
                query = _store.TryGet(selfId, out var self)
                    ? _store.VectorOf(self)
                    : throw EngineException.NotFound($"Point '{selfId}' does not exist in collection '{Config.Name}'; 'id' must name a stored point.");
            }

            var bySlot = _store.BySlot;
            Func<int, bool>? accept = filter.MatchesAll ? null : slot => bySlot[slot] is { } entry && filter.Matches(entry.Metadata);
            var plan = SearchPlanner.Plan(_store, filter, ef, out var candidates);
            var hits = plan switch
            {
                SearchPlan.Graph => GraphSearch(query!, depth, ef, request.ScoreThreshold, accept, out tailScanned),
                SearchPlan.IndexedMatches => ExactSearch.SearchCandidates(
                    _store.Vectors, Config.Metric, query!, depth, request.ScoreThreshold, CollectionsMarshal.AsSpan(candidates), accept),
                _ => ExactSearch.Search(_store.Vectors, Config.Metric, query!, depth, request.ScoreThreshold, accept),
            };
            visited = plan switch
            {
                SearchPlan.Graph => SearchContext.LastVisited + tailScanned,
                SearchPlan.IndexedMatches => candidates?.Count ?? 0,
                _ => _store.Count,
            };
            var results = new List<ScoredPoint>(Math.Min(hits.Length, topK));
            var skipped = 0;
            foreach (var hit in hits)
            {
                var entry = bySlot[hit.Slot]!;
                if (selfId is not null && string.Equals(entry.Id, selfId, StringComparison.Ordinal))
                {
                    continue;
                }

                if (skipped < offset)
                {
                    skipped++;
                    continue;
                }

                if (results.Count == topK)
                {
                    break;
                }

                results.Add(new ScoredPoint(
                    entry.Id,
                    FiniteScore.Saturate(hit.Score),
                    includeMetadata ? MetadataOrNull(entry) : null,
                    includeVector ? _store.Vectors.Get(hit.Slot).ToArray() : null));
            }

            RecordSearch(plan, started, ef, visited);
            return results;
        }
        finally
        {
            _lock.ExitReadLock();
        }
    }

    /// <summary>
    /// Exactly one of a query vector and a stored point: the vector is checked here, the point is read under the
    /// search's lock (null is returned for it).
    /// </summary>
    private float[]? CheckQueryVector(SearchQuery request, float maxQueryValue)
    {
        if (request.PointId is { } id)
        {
            if (request.Vector is not null)
            {
                throw EngineException.Invalid("Give either 'vector' or 'id', not both: 'id' searches by the stored vector of that point.");
            }

            PointValidator.CheckId(id, "id");
            return null;
        }

        return request.Vector is null
            ? throw EngineException.Invalid("Give 'vector' (a query vector) or 'id' (a stored point to search by); neither was given.")
            : PointValidator.CheckVector(request.Vector, Config.Dimension, "vector", maxQueryValue);
    }

    /// <summary>Checks a vector against the collection's dimension and the engine's value bound (400 naming <paramref name="path"/>).</summary>
    internal float[] CheckVector(float[]? vector, string path) =>
        PointValidator.CheckVector(vector, Config.Dimension, path, _options.MaxVectorValue);

    // The graph walk for the linked nodes, merged with an exact scan of the unlinked tail (docs/design/ingest.md). The
    // tail is read before the walk: a node leaves it only once linked, so every live point is in one or both.
    private ScoredSlot[] GraphSearch(float[] query, int topK, int ef, float? scoreThreshold, Func<int, bool>? accept, out int tailScanned)
    {
        var tail = _linker?.Snapshot() ?? [];
        tailScanned = tail.Length;
        var hits = _store.Index!.Search(query, topK, ef, accept);
        if (scoreThreshold is float threshold)
        {
            var kept = 0;
            while (kept < hits.Length && hits[kept].Score >= threshold)
            {
                kept++;
            }

            hits = kept == hits.Length ? hits : hits[..kept];
        }

        if (tail.Length == 0)
        {
            return hits;
        }

        var exact = ExactSearch.SearchCandidates(_store.Vectors, Config.Metric, query, topK, scoreThreshold, tail, accept);
        return TailMerge.Merge(hits, exact, topK);
    }

    private void RecordSearch(SearchPlan plan, long started, int ef, int visited)
    {
        var collection = new KeyValuePair<string, object?>("collection", EngineMetrics.CollectionLabel(Config.Name));
        EngineMetrics.SearchDuration.Record(EngineMetrics.Seconds(started), collection, new("plan", PlanLabel(plan)));
        EngineMetrics.SearchCandidates.Record(visited, collection);
        if (plan == SearchPlan.Graph)
        {
            EngineMetrics.SearchEf.Record(ef, collection); // ef means something only to the graph
        }
    }

    private static string PlanLabel(SearchPlan plan) => plan switch
    {
        SearchPlan.Graph => "graph",
        SearchPlan.IndexedMatches => "indexed",
        _ => "exact",
    };
}
