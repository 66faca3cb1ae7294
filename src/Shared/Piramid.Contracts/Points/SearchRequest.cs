using System.Text.Json;

namespace Piramid.Contracts.Points;

/// <summary>
/// Body of <c>POST /v1/collections/{name}/search</c> (and of each item of <c>search/batch</c>): by a query
/// <c>vector</c> or by the <c>id</c> of a stored point, exactly one of them.
/// </summary>
/// <example>{"vector": [0.1, 0.2, 0.3, 0.4], "top_k": 5, "filter": {"genre": "drama", "year": {"$gte": 2000}}}</example>
public sealed class SearchRequest
{
    /// <summary>Query vector of the collection's dimension; exactly one of <c>vector</c> and <c>id</c>.</summary>
    public float[]? Vector { get; set; }

    /// <summary>
    /// Search by a stored point: its vector is the query and the point itself is left out of the results.
    /// Exactly one of <c>vector</c> and <c>id</c>; an id that does not exist is a 404.
    /// </summary>
    public string? Id { get; set; }

    /// <summary>How many results, 1 to <see cref="Limits.MaxTopK"/> (default 10).</summary>
    public int? TopK { get; set; }

    /// <summary>
    /// Ranks to skip (default 0, at most <see cref="Limits.MaxSearchOffset"/>; <c>offset + top_k</c> at most
    /// <see cref="Limits.MaxTopK"/>): the answer is results offset..offset+top_k-1 of the ranking, the next page
    /// after one with <c>offset - top_k</c>.
    /// </summary>
    public int? Offset { get; set; }

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
