using System.Text.Json;

namespace Piramid.Engine.Commands;

/// <summary>One point of an <see cref="UpsertPoints"/>, as the caller gave it; the engine validates every field.</summary>
/// <param name="Id">Point id, 1-64 bytes of UTF-8.</param>
/// <param name="Vector">Finite values of the collection's dimension (or null when <see cref="VectorBytes"/> holds them).</param>
/// <param name="Metadata">A JSON object, or undefined/null for none.</param>
public sealed record NewPoint(string? Id, float[]? Vector, JsonElement Metadata = default)
{
    /// <summary>
    /// The vector as float32 values in little-endian byte order, 4 bytes each (the API's <c>vector_b64</c>), instead of
    /// <see cref="Vector"/>; decoded and checked like it by <see cref="Collections.PointValidator"/>.
    /// </summary>
    public byte[]? VectorBytes { get; init; }
}
