using System.Text.Json;

namespace Piramid.Engine.Queries;

/// <summary>One search result; higher scores are more similar for every metric.</summary>
/// <param name="Id">The point's id.</param>
/// <param name="Score">Cosine similarity, dot product, or negated Euclidean distance.</param>
/// <param name="Metadata">The metadata (JSON null when the point has none), or null when not asked for.</param>
/// <param name="Vector">The vector, or null when not asked for.</param>
public sealed record ScoredPoint(string Id, float Score, JsonElement? Metadata, float[]? Vector);
