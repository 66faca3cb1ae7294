using System.Text.Json;

namespace Piramid.Contracts.Points;

/// <summary>
/// Body of <c>POST /v1/collections/{name}/recommend</c>: find points like the positive examples and unlike the
/// negative ones. Each example is a point id (a string) or a vector (an array of numbers).
/// </summary>
/// <example>{"positive": ["a1"], "negative": ["b7"], "top_k": 5}</example>
public sealed class RecommendRequest
{
    /// <summary>Examples to be close to (at least one).</summary>
    public IReadOnlyList<JsonElement>? Positive { get; set; }

    /// <summary>Examples to move away from.</summary>
    public IReadOnlyList<JsonElement>? Negative { get; set; }

    /// <summary>Results wanted (default 10); example points are never among them.</summary>
    public int? TopK { get; set; }

    /// <summary>Metadata filter.</summary>
    public JsonElement Filter { get; set; }

    /// <summary>Search breadth of the graph index.</summary>
    public int? Ef { get; set; }

    /// <summary>Keep only results scoring at least this.</summary>
    public float? ScoreThreshold { get; set; }

    /// <summary>Return vectors.</summary>
    public bool? IncludeVector { get; set; }

    /// <summary>Return metadata (default true).</summary>
    public bool? IncludeMetadata { get; set; }
}
