using System.Text.Json;

namespace Piramid.Engine.Queries;

/// <summary>
/// A top-k similarity search: by a query vector, or by a stored point (whose vector is the query; the point itself
/// is left out of the results). Unset values take the engine's defaults.
/// </summary>
public sealed record SearchQuery
{
    /// <summary>The query vector; exactly one of this and <see cref="PointId"/>.</summary>
    public float[]? Vector { get; init; }

    /// <summary>A stored point to search by; exactly one of this and <see cref="Vector"/>.</summary>
    public string? PointId { get; init; }

    /// <summary>Results wanted (default 10).</summary>
    public int? TopK { get; init; }

    /// <summary>Ranks to skip before the first result (default 0): results offset..offset+top_k-1 of the ranking.</summary>
    public int? Offset { get; init; }

    /// <summary>A filter expression (the JSON filter language); undefined matches every point.</summary>
    public JsonElement Filter { get; init; }

    /// <summary>Candidate list size of the graph index (default: the collection's).</summary>
    public int? Ef { get; init; }

    /// <summary>Keep only results scoring at least this.</summary>
    public float? ScoreThreshold { get; init; }

    /// <summary>Return vectors (default false).</summary>
    public bool? IncludeVector { get; init; }

    /// <summary>Return metadata (default true).</summary>
    public bool? IncludeMetadata { get; init; }
}
