using System.Text.Json;

namespace Piramid.Engine.Commands;

/// <summary>One point of an <see cref="UpsertPoints"/>, as the caller gave it; the engine validates every field.</summary>
/// <param name="Id">Point id, 1-64 bytes of UTF-8.</param>
/// <param name="Vector">Finite values of the collection's dimension.</param>
/// <param name="Metadata">A JSON object, or undefined/null for none.</param>
public sealed record NewPoint(string? Id, float[]? Vector, JsonElement Metadata = default);
