using System.Text.Json;

namespace Piramid.Engine.Queries;

/// <summary>
/// A search grouped by the value of a metadata field: the best <see cref="GroupSize"/> points for each of the best
/// <see cref="Limit"/> values. A point whose field holds an array is a member of the group of each distinct scalar in it.
/// </summary>
public sealed record GroupQuery
{
    /// <summary>The query vector.</summary>
    public float[]? Vector { get; init; }

    /// <summary>The metadata field, as a dotted path.</summary>
    public string? GroupBy { get; init; }

    /// <summary>Points per group (default 3).</summary>
    public int? GroupSize { get; init; }

    /// <summary>Groups wanted (default 10).</summary>
    public int? Limit { get; init; }

    /// <summary>A filter expression; undefined matches every point.</summary>
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
