using System.Text.Json;

namespace Piramid.Engine.Queries;

/// <summary>A page of points in id order.</summary>
public sealed record ScrollQuery
{
    /// <summary>A filter expression; undefined matches every point.</summary>
    public JsonElement Filter { get; init; }

    /// <summary>Page size (default 100).</summary>
    public int? Limit { get; init; }

    /// <summary>The cursor the previous page returned, or null for the first page.</summary>
    public string? Cursor { get; init; }

    /// <summary>Return vectors (default false).</summary>
    public bool? IncludeVector { get; init; }

    /// <summary>Return metadata (default true).</summary>
    public bool? IncludeMetadata { get; init; }
}
