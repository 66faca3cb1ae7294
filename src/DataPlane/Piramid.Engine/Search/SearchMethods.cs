using System.Text.Json;
using Piramid.Contracts;
using Piramid.Contracts.Points;
using Piramid.Engine.Collections;

namespace Piramid.Engine.Search;

/// <summary>
/// The search methods built on a collection's single search: batches, recommendations and grouped results.
/// Each one validates its own input (400 naming the field) and then asks <see cref="Collection.Search"/>,
/// so every index type and filter works the same way here.
/// </summary>
public static class SearchMethods
{
    private const int DefaultTopK = 10;
    private const int DefaultGroupSize = 3;
    private const int DefaultGroups = 10;

    /// <summary>Runs each search, spread over the cores; answers in request order.</summary>
    public static SearchBatchResponse Batch(Collection collection, SearchBatchRequest request)
    {
        ArgumentNullException.ThrowIfNull(collection);
        ArgumentNullException.ThrowIfNull(request);
        var searches = request.Searches;
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
        var answers = new SearchResponse[searches.Count];
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

        // The first failing search (in request order) answers for the batch, with its index in the detail.
        for (var i = 0; i < errors.Length; i++)
        {
            if (errors[i] is { } error)
            {
                throw error.IsInvalidInput ? EngineException.Invalid($"searches[{i}]: {error.Message}") : error;
            }
        }

        return new SearchBatchResponse { Batches = answers };
    }

    /// <summary>
    /// Points like the positive examples and unlike the negative ones. The query is the mean of the positives,
    /// pushed away from the mean of the negatives (<c>2·mean(positive) − mean(negative)</c>); example points
    /// themselves are left out of the results.
    /// </summary>
    public static SearchResponse Recommend(Collection collection, RecommendRequest request)
    {
        ArgumentNullException.ThrowIfNull(collection);
        ArgumentNullException.ThrowIfNull(request);
        var positive = request.Positive ?? [];
        var negative = request.Negative ?? [];
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

        var found = collection.SearchDerived(new SearchRequest
        {
            Vector = query,
            TopK = Math.Min(Limits.MaxTopK, topK + exclude.Count),
            Filter = request.Filter,
            Ef = request.Ef,
            ScoreThreshold = request.ScoreThreshold,
            IncludeVector = request.IncludeVector,
            IncludeMetadata = request.IncludeMetadata,
        });
        return new SearchResponse { Results = [.. found.Results.Where(r => !exclude.Contains(r.Id)).Take(topK)] };
    }

    /// <summary>The best <c>group_size</c> points for each of the best <c>limit</c> values of a metadata field.</summary>
    public static SearchGroupsResponse Groups(Collection collection, SearchGroupsRequest request)
    {
        ArgumentNullException.ThrowIfNull(collection);
        ArgumentNullException.ThrowIfNull(request);
        var path = request.GroupBy;
        if (string.IsNullOrWhiteSpace(path) || path.Split('.').Any(string.IsNullOrEmpty))
        {
            throw EngineException.Invalid("'group_by' must name a metadata field, e.g. \"author\" or \"author.name\".");
        }

        var groupSize = request.GroupSize ?? DefaultGroupSize;
        var limit = request.Limit ?? DefaultGroups;
        if (groupSize < 1 || groupSize > Limits.MaxGroups)
        {
            throw EngineException.Invalid($"'group_size' must be between 1 and {Limits.MaxGroups}; got {groupSize}.");
        }

        if (limit < 1 || limit > Limits.MaxGroups)
        {
            throw EngineException.Invalid($"'limit' must be between 1 and {Limits.MaxGroups}; got {limit}.");
        }

        var includeVector = request.IncludeVector ?? false;
        if (includeVector)
        {
            collection.CheckVectorsPerAnswer((long)limit * groupSize, "limit × group_size");
        }

        var segments = path.Split('.');
        var includeMetadata = request.IncludeMetadata ?? true;
        // Ask for more candidates until the groups are full or the collection has nothing more to give.
        for (var candidates = Math.Min(Limits.MaxTopK, limit * groupSize * 4); ; candidates = Math.Min(Limits.MaxTopK, candidates * 4))
        {
            var found = collection.Search(new SearchRequest
            {
                Vector = request.Vector,
                TopK = candidates,
                Filter = request.Filter,
                Ef = request.Ef,
                ScoreThreshold = request.ScoreThreshold,
                IncludeMetadata = true,
            });
            var (groups, full) = Collect(found.Results, segments, groupSize, limit, includeMetadata);
            if (full || found.Results.Count < candidates || candidates == Limits.MaxTopK)
            {
                // The candidates are many more than the answer: only the answer's vectors are read.
                if (includeVector)
                {
                    AttachVectors(collection, groups);
                }

                return new SearchGroupsResponse { Groups = groups };
            }
        }
    }

    private static (List<PointGroup> Groups, bool Full) Collect(
        IReadOnlyList<ScoredPointOutput> results, string[] path, int groupSize, int limit, bool includeMetadata)
    {
        var groups = new List<PointGroup>();
        var members = new Dictionary<string, List<ScoredPointOutput>>(StringComparer.Ordinal);
        foreach (var result in results)
        {
            if (result.Metadata is not { } metadata || !TryGetGroupValue(metadata, path, out var value))
            {
                continue;
            }

            var key = value.GetRawText();
            if (!members.TryGetValue(key, out var list))
            {
                if (groups.Count == limit)
                {
                    continue;
                }

                list = members[key] = [];
                groups.Add(new PointGroup { Value = value.Clone(), Results = list });
            }

            if (list.Count < groupSize)
            {
                list.Add(includeMetadata ? result : new ScoredPointOutput { Id = result.Id, Score = result.Score, Vector = result.Vector });
            }
        }

        var full = groups.Count == limit && groups.All(g => g.Results.Count == groupSize);
        return (groups, full);
    }

    private static void AttachVectors(Collection collection, List<PointGroup> groups)
    {
        var vectors = collection.VectorsOf(groups.SelectMany(g => g.Results).Select(r => r.Id));
        foreach (var group in groups)
        {
            // A point deleted since the search is left out, as if the search had run after the delete.
            group.Results = [.. group.Results.Where(r => vectors.ContainsKey(r.Id))];
            foreach (var result in group.Results)
            {
                result.Vector = vectors[result.Id];
            }
        }
    }

    private static bool TryGetGroupValue(JsonElement metadata, string[] path, out JsonElement value)
    {
        value = metadata;
        foreach (var segment in path)
        {
            if (value.ValueKind != JsonValueKind.Object || !value.TryGetProperty(segment, out value))
            {
                return false;
            }
        }

        return value.ValueKind is JsonValueKind.String or JsonValueKind.Number or JsonValueKind.True or JsonValueKind.False;
    }

    private static float[] Mean(Collection collection, IReadOnlyList<JsonElement> examples, string field, HashSet<string> exclude)
    {
        var dimension = collection.Config.Dimension;
        var sum = new float[dimension];
        for (var i = 0; i < examples.Count; i++)
        {
            var example = examples[i];
            float[] vector;
            if (example.ValueKind == JsonValueKind.String)
            {
                var id = example.GetString()!;
                vector = collection.Get(id, includeVector: true, includeMetadata: false).Vector!;
                exclude.Add(id);
            }
            else if (example.ValueKind == JsonValueKind.Array)
            {
                vector = ReadVector(collection, example, $"{field}[{i}]");
            }
            else
            {
                throw EngineException.Invalid($"'{field}[{i}]' must be a point id (string) or a vector (array of numbers).");
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

    private static float[] ReadVector(Collection collection, JsonElement array, string path)
    {
        var values = new float[array.GetArrayLength()];
        var i = 0;
        foreach (var item in array.EnumerateArray())
        {
            if (item.ValueKind != JsonValueKind.Number || !item.TryGetSingle(out var value))
            {
                throw EngineException.Invalid($"'{path}[{i}]' must be a number.");
            }

            values[i++] = value;
        }

        return collection.CheckVector(values, path);
    }
}
