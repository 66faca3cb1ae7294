using Piramid.Client.Models;

namespace Piramid.Client.Json;

// The request and answer envelopes on the wire; the public API takes and returns what they carry.

internal sealed record CollectionListBody(IReadOnlyList<CollectionInfo> Collections);

internal sealed record UpsertBody(IReadOnlyList<Point> Points);

internal sealed record GetPointsBody(IReadOnlyList<string> Ids, bool? IncludeVector, bool? IncludeMetadata);

internal sealed record UpdatePointBody(float[]? Vector, System.Text.Json.Nodes.JsonObject? Metadata);

internal sealed record DeletePointsBody(IReadOnlyList<string>? Ids, Filter? Filter, bool? All = null);

internal sealed record ScrollBody(Filter? Filter, int? Limit, string? Cursor, bool? IncludeVector, bool? IncludeMetadata);

internal sealed record CountBody(Filter? Filter);

internal sealed record CountResultBody(long Count);

internal sealed record SearchResultsBody(IReadOnlyList<ScoredPoint> Results);

internal sealed record SearchBatchBody(IReadOnlyList<SearchQuery> Searches);

internal sealed record SearchBatchResultsBody(IReadOnlyList<SearchResultsBody> Batches);

internal sealed record GroupsResultsBody(IReadOnlyList<PointGroup> Groups);

/// <summary>An RFC 9457 problem; <c>traceId</c> is read too, for processes that still spell it that way.</summary>
internal sealed class ProblemBody
{
    public string? Type { get; init; }

    public string? Title { get; init; }

    public int? Status { get; init; }

    public string? Detail { get; init; }

    public string? Instance { get; init; }

    public string? TraceId { get; init; }

    [System.Text.Json.Serialization.JsonPropertyName("traceId")]
    public string? TraceIdCamel { get; init; }

    public string? RequestId { get; init; }
}
