namespace Piramid.Contracts.Points;

/// <summary>Reply of a grouped search: groups ordered by their best result.</summary>
public sealed class SearchGroupsResponse
{
    /// <summary>The groups.</summary>
    public required IReadOnlyList<PointGroup> Groups { get; set; }
}
