using System.Text.Json;

namespace Piramid.Contracts.Points;

/// <summary>Body of <c>POST /v1/collections/{name}/search</c>.</summary>
/// <example>{"vector": [0.1, 0.2, 0.3, 0.4], "top_k": 5, "filter": {"genre": "drama", "year": {"$gte": 2000}}}</example>
public sealed class SearchRequest
{
    /// <summary>Query vector of the collection's dimension.</summary>
    public float[]? Vector { get; set; }

    /// <summary>How many results, 1 to <see cref="Limits.MaxTopK"/> (default 10).</summary>
    public int? TopK { get; set; }

    /// <summary>Only points whose metadata match.</summary>
    public JsonElement Filter { get; set; }

    /// <summary>HNSW candidate list size for this query.</summary>
    public int? Ef { get; set; }

    /// <summary>Only results scoring at least this.</summary>
    public float? ScoreThreshold { get; set; }

    /// <summary>Return vectors (default false).</summary>
    public bool? IncludeVector { get; set; }

    /// <summary>Return metadata (default true).</summary>
    public bool? IncludeMetadata { get; set; }
}
