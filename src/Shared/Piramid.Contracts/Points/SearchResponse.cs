namespace Piramid.Contracts.Points;

/// <summary>Reply of a search: best first.</summary>
public sealed class SearchResponse
{
    /// <summary>The results.</summary>
    public required IReadOnlyList<ScoredPointOutput> Results { get; set; }
}
