using System.Runtime.InteropServices;
using Piramid.Contracts;
using Piramid.Contracts.Points;
using Piramid.Engine.Filtering;
using Piramid.Engine.Search;

namespace Piramid.Engine.Collections;

/// <summary>Top-k search: checks the request, asks <see cref="SearchPlanner"/> for a plan, runs it under the read lock.</summary>
public sealed partial class Collection
{
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
            var bySlot = _store.BySlot;
            Func<int, bool>? accept = filter.MatchesAll ? null : slot => bySlot[slot] is { } entry && filter.Matches(entry.Metadata);
            var hits = SearchPlanner.Plan(_store, filter, ef, out var candidates) switch
            {
                SearchPlan.Graph => GraphSearch(query, topK, ef, request.ScoreThreshold, accept),
                SearchPlan.IndexedMatches => ExactSearch.SearchCandidates(
                    _store.Vectors, Config.Metric, query, topK, request.ScoreThreshold, CollectionsMarshal.AsSpan(candidates), accept),
                _ => ExactSearch.Search(_store.Vectors, Config.Metric, query, topK, request.ScoreThreshold, accept),
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
                    Vector = includeVector ? _store.Vectors.Get(hit.Slot).ToArray() : null,
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
        var hits = _store.Index!.Search(query, topK, ef, accept);
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
}
