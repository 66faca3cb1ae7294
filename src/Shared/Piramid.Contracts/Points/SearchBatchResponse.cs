namespace Piramid.Contracts.Points;

/// <summary>Reply of a batch search: one result list per search, in request order.</summary>
public sealed class SearchBatchResponse
{
    /// <summary>The answers.</summary>
    public required IReadOnlyList<SearchResponse> Batches { get; set; }
}
