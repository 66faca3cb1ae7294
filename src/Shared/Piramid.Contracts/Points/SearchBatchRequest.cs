namespace Piramid.Contracts.Points;

/// <summary>Body of <c>POST /v1/collections/{name}/search/batch</c>: several searches answered together.</summary>
/// <example>{"searches": [{"vector": [0.1, 0.2, 0.3, 0.4], "top_k": 3}, {"vector": [0.4, 0.3, 0.2, 0.1], "top_k": 3, "filter": {"genre": "drama"}}]}</example>
public sealed class SearchBatchRequest
{
    /// <summary>The searches (1 to 100), each shaped like a single search.</summary>
    public IReadOnlyList<SearchRequest>? Searches { get; set; }
}
