using System.Text.Json.Nodes;

namespace Piramid.Client.Models;

/// <summary>One search result. Higher scores are more similar for every metric.</summary>
public sealed class ScoredPoint
{
    /// <summary>Point id.</summary>
    public required string Id { get; init; }

    /// <summary>Cosine similarity, dot product, or negated Euclidean distance.</summary>
    public float Score { get; init; }

    /// <summary>The metadata, unless left out.</summary>
    public JsonObject? Metadata { get; init; }

    /// <summary>The vector, when asked for.</summary>
    public float[]? Vector { get; init; }
}
