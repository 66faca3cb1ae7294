namespace Piramid.Contracts.Points;

/// <summary>Reply of get-many and scroll.</summary>
public sealed class PointsPage
{
    /// <summary>The points, in id order for scroll, in request order for get.</summary>
    public required IReadOnlyList<PointOutput> Points { get; set; }

    /// <summary>Cursor of the next page, or null at the end.</summary>
    public string? NextCursor { get; set; }
}
