using System.Text.Json;

namespace Piramid.Engine.Commands;

/// <summary>A collection's settings and state, as the engine reports them.</summary>
/// <param name="Name">Collection name.</param>
/// <param name="Dimension">Vector dimension.</param>
/// <param name="Metric">Metric name.</param>
/// <param name="Index">Index settings with their defaults filled in.</param>
/// <param name="Quantization">Quantization name.</param>
/// <param name="Schema">The schema, or null.</param>
/// <param name="Failed">Why the collection is closed, or null when it is ready (server paths already redacted).</param>
/// <param name="Count">Live points.</param>
/// <param name="BytesOnDisk">Bytes of every file of the collection.</param>
/// <param name="CreatedAt">When it was created.</param>
/// <param name="AutoIndex">Whether undeclared metadata fields are indexed.</param>
public sealed record CollectionDescription(
    string Name,
    int Dimension,
    string Metric,
    IndexSpec Index,
    string Quantization,
    JsonElement? Schema,
    string? Failed,
    long Count,
    long BytesOnDisk,
    DateTimeOffset CreatedAt,
    bool AutoIndex = true);
