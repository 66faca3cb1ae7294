using System.Text.Json;

namespace Piramid.Contracts.Points;

/// <summary>One point of an upsert.</summary>
public sealed class PointInput
{
    /// <summary>Point id, 1-64 bytes of UTF-8.</summary>
    public string? Id { get; set; }

    /// <summary>The vector; finite float32 values of the collection's dimension. Give this or <c>vector_b64</c>.</summary>
    public float[]? Vector { get; set; }

    /// <summary>
    /// The vector as standard base64 (with padding) of its float32 values in little-endian byte order, 4 bytes per
    /// value, instead of <c>vector</c>: about half the bytes of a JSON array and no decimal parsing, for bulk ingest.
    /// Validated like <c>vector</c> (dimension, finite values); giving both is refused.
    /// </summary>
    public byte[]? VectorB64 { get; set; }

    /// <summary>Optional JSON object.</summary>
    public JsonElement Metadata { get; set; }
}
