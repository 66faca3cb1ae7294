using System.Text.Json;

namespace Piramid.Engine.Queries;

/// <summary>Points like the positive examples and unlike the negative ones; example points are never among the results.</summary>
public sealed record RecommendQuery
{
    /// <summary>Examples to be close to (at least one).</summary>
    public IReadOnlyList<RecommendExample> Positive { get; init; } = [];

    /// <summary>Examples to move away from.</summary>
    public IReadOnlyList<RecommendExample> Negative { get; init; } = [];

    /// <summary>Results wanted (default 10).</summary>
    public int? TopK { get; init; }

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
