using System.Text.Json;

namespace Piramid.Contracts.Points;

/// <summary>Body of <c>POST /v1/collections/{name}/scroll</c>.</summary>
/// <example>{"filter": {"genre": "drama"}, "limit": 100}</example>
public sealed class ScrollRequest
{
    /// <summary>Only points whose metadata match.</summary>
    public JsonElement Filter { get; set; }

    /// <summary>Page size, 1 to <see cref="Limits.MaxScrollLimit"/> (default 100).</summary>
    public int? Limit { get; set; }

    /// <summary>The <c>next_cursor</c> of the previous page.</summary>
    public string? Cursor { get; set; }

    /// <summary>Return vectors (default false).</summary>
    public bool? IncludeVector { get; set; }

    /// <summary>Return metadata (default true).</summary>
    public bool? IncludeMetadata { get; set; }
}
