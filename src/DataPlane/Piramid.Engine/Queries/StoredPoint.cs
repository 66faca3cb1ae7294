using System.Text.Json;

namespace Piramid.Engine.Queries;

/// <summary>A point as read by get and scroll.</summary>
/// <param name="Id">The point's id.</param>
/// <param name="Vector">The vector, or null when not asked for.</param>
/// <param name="Metadata">The metadata (JSON null when the point has none), or null when not asked for.</param>
public sealed record StoredPoint(string Id, float[]? Vector, JsonElement? Metadata);
