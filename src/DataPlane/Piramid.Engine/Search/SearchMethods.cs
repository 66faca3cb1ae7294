using Piramid.Contracts;
using Piramid.Engine.Collections;
using Piramid.Engine.Queries;

namespace Piramid.Engine.Search;

/// <summary>
/// The search methods built on a collection's single search: batches, recommendations and grouped results
/// (<c>.Groups</c>). Each one validates its own input (400 naming the field) and then asks
/// <see cref="Collection.Search"/>, so every index type and filter works the same way here.
/// </summary>
public static partial class SearchMethods
{
    private const int DefaultTopK = 10;

    /// <summary>Runs each search, spread over the cores; answers in query order.</summary>
    public static IReadOnlyList<IReadOnlyList<ScoredPoint>> Batch(Collection collection, IReadOnlyList<SearchQuery?>? searches)
    {
        ArgumentNullException.ThrowIfNull(collection);
        if (searches is null || searches.Count == 0 || searches.Count > Limits.MaxBatchSearches)
        {
            throw EngineException.Invalid($"'searches' must hold 1 to {Limits.MaxBatchSearches} searches; got {searches?.Count ?? 0}.");
        }

        // Each search is valid on its own up to MaxTopK results; the batch as a whole is bounded too, or 100
        // searches could ask for a million results (and their vectors) in one request.
        long results = 0, vectors = 0;
        foreach (var search in searches)
        {
            var topK = Math.Clamp(search?.TopK ?? DefaultTopK, 0, Limits.MaxTopK);
            results += topK;
            vectors += search?.IncludeVector == true ? topK : 0;
        }

        if (results > Limits.MaxBatchTopK)
        {
            throw EngineException.Invalid(
                $"'searches' asks for {results} results in all (the sum of their top_k); a batch returns at most {Limits.MaxBatchTopK}.");
        }

        collection.CheckVectorsPerAnswer(vectors, "searches[].top_k");
        var answers = new IReadOnlyList<ScoredPoint>[searches.Count];
        var errors = new EngineException?[searches.Count];
        Parallel.For(0, searches.Count, new ParallelOptions { MaxDegreeOfParallelism = Environment.ProcessorCount }, i =>
        {
            try
            {
                answers[i] = searches[i] is { } search ? collection.Search(search) : throw EngineException.Invalid("must be a search object");
            }
            catch (EngineException e)
            {
                errors[i] = e;
            }
        });

        // The first failing search (in query order) answers for the batch, with its index in the detail.
        for (var i = 0; i < errors.Length; i++)
        {
            if (errors[i] is { } error)
            {
                throw error.IsInvalidInput ? EngineException.Invalid($"searches[{i}]: {error.Message}") : error;
            }
        }

        return answers;
    }

    /// <summary>
    /// Points like the positive examples and unlike the negative ones. The query is the mean of the positives,
    /// pushed away from the mean of the negatives (<c>2·mean(positive) − mean(negative)</c>); example points
    /// themselves are left out of the results.
    /// </summary>
    public static IReadOnlyList<ScoredPoint> Recommend(Collection collection, RecommendQuery request)
    {
        ArgumentNullException.ThrowIfNull(collection);
        ArgumentNullException.ThrowIfNull(request);
        var positive = request.Positive;
        var negative = request.Negative;
        if (positive.Count == 0)
        {
            throw EngineException.Invalid("'positive' needs at least one point id or vector.");
        }

        if (positive.Count + negative.Count > Limits.MaxRecommendExamples)
        {
            throw EngineException.Invalid($"At most {Limits.MaxRecommendExamples} examples in 'positive' and 'negative' together.");
        }

        var topK = request.TopK ?? DefaultTopK;
        if (topK < 1 || topK > Limits.MaxTopK)
        {
            throw EngineException.Invalid($"'top_k' must be between 1 and {Limits.MaxTopK}; got {topK}.");
        }

        if (request.IncludeVector == true)
        {
            collection.CheckVectorsPerAnswer(topK, "top_k");
        }

        var exclude = new HashSet<string>(StringComparer.Ordinal);
        var dimension = collection.Config.Dimension;
        var query = Mean(collection, positive, "positive", exclude);
        if (negative.Count > 0)
        {
            var away = Mean(collection, negative, "negative", exclude);
            for (var d = 0; d < dimension; d++)
            {
                query[d] = (2 * query[d]) - away[d];
            }
        }

        var found = collection.SearchDerived(new SearchQuery
        {
            Vector = query,
            TopK = Math.Min(Limits.MaxTopK, topK + exclude.Count),
            Filter = request.Filter,
            Ef = request.Ef,
            ScoreThreshold = request.ScoreThreshold,
            IncludeVector = request.IncludeVector,
            IncludeMetadata = request.IncludeMetadata,
        });
        return [.. found.Where(r => !exclude.Contains(r.Id)).Take(topK)];
    }

    private static float[] Mean(Collection collection, IReadOnlyList<RecommendExample> examples, string field, HashSet<string> exclude)
    {
        var dimension = collection.Config.Dimension;
        var sum = new float[dimension];
        for (var i = 0; i < examples.Count; i++)
        {
            var example = examples[i];
            float[] vector;
            if (example.PointId is { } id)
            {
                vector = collection.Get(id, includeVector: true, includeMetadata: false).Vector!;
                exclude.Add(id);
            }
            else
            {
                vector = collection.CheckVector(example.Vector, $"{field}[{i}]");
            }

            for (var d = 0; d < dimension; d++)
            {
                sum[d] += vector[d];
            }
        }

        for (var d = 0; d < dimension; d++)
        {
            sum[d] /= examples.Count;
        }

        return sum;
    }
}
