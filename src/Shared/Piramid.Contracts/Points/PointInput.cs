using System.Text.Json;

namespace Piramid.Contracts.Points;

/// <summary>One point of an upsert.</summary>
public sealed class PointInput
{
    /// <summary>Point id, 1-64 bytes of UTF-8.</summary>
    public string? Id { get; set; }

    /// <summary>The vector; finite float32 values of the collection's dimension.</summary>
    public float[]? Vector { get; set; }

    /// <summary>Optional JSON object.</summary>
    public JsonElement Metadata { get; set; }
}
