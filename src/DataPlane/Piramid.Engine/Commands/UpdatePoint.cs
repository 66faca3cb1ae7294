using System.Text.Json;
using Piramid.Engine.Idempotency;

namespace Piramid.Engine.Commands;

/// <summary>Replace the vector and/or merge a metadata patch into one existing point.</summary>
/// <param name="Id">The point.</param>
/// <param name="Vector">The new vector, or null to keep it.</param>
/// <param name="Metadata">A JSON merge patch (an object), or undefined/null to keep the metadata.</param>
public sealed record UpdatePoint(string Id, float[]? Vector, JsonElement Metadata = default)
{
    /// <summary>When set, a repeat of the same request replays the first result instead of writing again.</summary>
    public WriteIdempotency? Idempotency { get; init; }
}
