using Piramid.Contracts.Points;
using Piramid.Engine.Queries;

namespace Piramid.DataPlane.Api;

/// <summary>Wire get and scroll bodies to the engine's queries, and stored points back to wire points.</summary>
internal static class PointReadMapping
{
    public static ScrollQuery ToQuery(this ScrollRequest request) => new()
    {
        Filter = request.Filter,
        Limit = request.Limit,
        Cursor = request.Cursor,
        IncludeVector = request.IncludeVector,
        IncludeMetadata = request.IncludeMetadata,
    };

    public static PointOutput ToOutput(this StoredPoint point) =>
        new() { Id = point.Id, Vector = point.Vector, Metadata = point.Metadata };

    public static PointsPage ToPage(this IReadOnlyList<StoredPoint> points, string? nextCursor = null) =>
        new() { Points = [.. points.Select(p => p.ToOutput())], NextCursor = nextCursor };

    public static PointsPage ToPage(this Page<StoredPoint> page) => page.Items.ToPage(page.NextCursor);
}
