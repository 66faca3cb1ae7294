using System.Text.Json;
using Piramid.Contracts.Points;
using Piramid.Engine;
using Piramid.Engine.Queries;
using EngineGroup = Piramid.Engine.Queries.PointGroup;
using WireGroup = Piramid.Contracts.Points.PointGroup;

namespace Piramid.DataPlane.Api;

/// <summary>Wire search bodies to the engine's queries, and its results back to wire answers.</summary>
internal static class SearchMapping
{
    public static SearchQuery ToQuery(this SearchRequest request) => new()
    {
        Vector = request.Vector,
        PointId = request.Id,
        TopK = request.TopK,
        Offset = request.Offset,
        Filter = request.Filter,
        Ef = request.Ef,
        ScoreThreshold = request.ScoreThreshold,
        IncludeVector = request.IncludeVector,
        IncludeMetadata = request.IncludeMetadata,
    };

    public static IReadOnlyList<SearchQuery?>? ToQueries(this SearchBatchRequest request) =>
        request.Searches is { } searches ? [.. searches.Select(s => s?.ToQuery())] : null;

    public static GroupQuery ToQuery(this SearchGroupsRequest request) => new()
    {
        Vector = request.Vector,
        GroupBy = request.GroupBy,
        GroupSize = request.GroupSize,
        Limit = request.Limit,
        Filter = request.Filter,
        Ef = request.Ef,
        ScoreThreshold = request.ScoreThreshold,
        IncludeVector = request.IncludeVector,
        IncludeMetadata = request.IncludeMetadata,
    };

    public static RecommendQuery ToQuery(this RecommendRequest request) => new()
    {
        Positive = Examples(request.Positive, "positive"),
        Negative = Examples(request.Negative, "negative"),
        TopK = request.TopK,
        Filter = request.Filter,
        Ef = request.Ef,
        ScoreThreshold = request.ScoreThreshold,
        IncludeVector = request.IncludeVector,
        IncludeMetadata = request.IncludeMetadata,
    };

    public static SearchResponse ToResponse(this IReadOnlyList<ScoredPoint> results) => new() { Results = ToOutputs(results) };

    public static SearchBatchResponse ToResponse(this IReadOnlyList<IReadOnlyList<ScoredPoint>> batches) =>
        new() { Batches = [.. batches.Select(b => b.ToResponse())] };

    public static SearchGroupsResponse ToResponse(this IReadOnlyList<EngineGroup> groups) =>
        new() { Groups = [.. groups.Select(g => new WireGroup { Value = g.Value, Results = ToOutputs(g.Points) })] };

    private static ScoredPointOutput[] ToOutputs(IReadOnlyList<ScoredPoint> results)
    {
        var outputs = new ScoredPointOutput[results.Count];
        for (var i = 0; i < outputs.Length; i++)
        {
            var r = results[i];
            outputs[i] = new ScoredPointOutput { Id = r.Id, Score = r.Score, Metadata = r.Metadata, Vector = r.Vector };
        }

        return outputs;
    }

    /// <summary>Each example is a point id (a JSON string) or a vector (a JSON array of numbers); 400 naming it otherwise.</summary>
    private static RecommendExample[] Examples(IReadOnlyList<JsonElement>? examples, string field)
    {
        if (examples is null)
        {
            return [];
        }

        var mapped = new RecommendExample[examples.Count];
        for (var i = 0; i < mapped.Length; i++)
        {
            var example = examples[i];
            mapped[i] = example.ValueKind switch
            {
                JsonValueKind.String => RecommendExample.OfPoint(example.GetString()!),
                JsonValueKind.Array => RecommendExample.OfVector(ReadVector(example, $"{field}[{i}]")),
                _ => throw EngineException.Invalid($"'{field}[{i}]' must be a point id (string) or a vector (array of numbers)."),
            };
        }

        return mapped;
    }

    private static float[] ReadVector(JsonElement array, string path)
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

        return values;
    }
}
