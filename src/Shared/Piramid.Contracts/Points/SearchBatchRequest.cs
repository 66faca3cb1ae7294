namespace Piramid.Contracts.Points;

/// <summary>Body of <c>POST /v1/collections/{name}/search/batch</c>: several searches answered together.</summary>
public sealed class SearchBatchRequest
{
    /// <summary>The searches (1 to 100), each shaped like a single search.</summary>
    public IReadOnlyList<SearchRequest>? Searches { get; set; }
}
