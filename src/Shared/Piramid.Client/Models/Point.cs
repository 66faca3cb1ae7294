using System.Text.Json.Nodes;

namespace Piramid.Client.Models;

/// <summary>A point: an id, a vector and optional metadata (a JSON object).</summary>
public sealed class Point
{
    /// <summary>Point id, 1 to 64 bytes of UTF-8.</summary>
    public required string Id { get; init; }

    /// <summary>The vector; null in answers unless asked for with <c>IncludeVector</c>.</summary>
    public float[]? Vector { get; init; }

    /// <summary>The metadata; null when the point has none or it was left out.</summary>
    public JsonObject? Metadata { get; init; }
}
