namespace Piramid.Client.Models;

/// <summary>One page of a scroll, or the answer of a get-many.</summary>
public sealed class PointsPage
{
    /// <summary>The points: in id order for scroll, in request order for get.</summary>
    public required IReadOnlyList<Point> Points { get; init; }

    /// <summary>Cursor of the next page, or null at the end.</summary>
    public string? NextCursor { get; init; }
}
