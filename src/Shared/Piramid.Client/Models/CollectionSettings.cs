using System.Text.Json.Nodes;

namespace Piramid.Client.Models;

/// <summary>Settings of a new collection (body of <c>PUT /v1/collections/{name}</c>).</summary>
public sealed class CollectionSettings
{
    /// <summary>Vector length, 1 to 20,000.</summary>
    public required int Dimension { get; init; }

    /// <summary><c>cosine</c> (the server's default), <c>dot</c> or <c>euclidean</c>; see <see cref="Metrics"/>.</summary>
    public string? Metric { get; init; }

    /// <summary>Index settings; HNSW with the server's defaults when null.</summary>
    public IndexSettings? Index { get; init; }

    /// <summary><c>none</c> (default) or <c>int8</c>.</summary>
    public string? Quantization { get; init; }

    /// <summary>Optional metadata schema, field path to type (<c>keyword</c>, <c>integer</c>, <c>float</c>, <c>boolean</c>): typed fields are indexed.</summary>
    public JsonObject? Schema { get; init; }
}
