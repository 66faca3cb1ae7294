using System.Text.Json;
using System.Text.Json.Serialization;

namespace Piramid.Contracts.Points;

/// <summary>A point as returned by get and scroll.</summary>
public sealed class PointOutput
{
    /// <summary>Point id.</summary>
    public required string Id { get; set; }

    /// <summary>The vector, when asked for.</summary>
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public float[]? Vector { get; set; }

    /// <summary>The metadata, unless left out; JSON null when the point has none.</summary>
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public JsonElement? Metadata { get; set; }
}
