using System.Text.Json;
using System.Text.Json.Serialization;

namespace Piramid.Contracts.Points;

/// <summary>One search result. Higher scores are more similar for every metric.</summary>
public sealed class ScoredPointOutput
{
    /// <summary>Point id.</summary>
    public required string Id { get; set; }

    /// <summary>Cosine similarity, dot product, or negated Euclidean distance.</summary>
    public float Score { get; set; }

    /// <summary>The metadata, unless left out.</summary>
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public JsonElement? Metadata { get; set; }

    /// <summary>The vector, when asked for.</summary>
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public float[]? Vector { get; set; }
}
