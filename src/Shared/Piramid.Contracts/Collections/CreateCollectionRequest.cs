using System.Text.Json;

namespace Piramid.Contracts.Collections;

/// <summary>Body of <c>PUT /v1/collections/{name}</c>.</summary>
public sealed class CreateCollectionRequest
{
    /// <summary>Vector dimension, 1 to <see cref="Limits.MaxDimension"/>.</summary>
    public int? Dimension { get; set; }

    /// <summary><c>cosine</c> (default), <c>dot</c> or <c>euclidean</c>.</summary>
    public string? Metric { get; set; }

    /// <summary>Index settings; HNSW with m=16, ef_construction=200 when absent.</summary>
    public IndexSettings? Index { get; set; }

    /// <summary><c>none</c> (default) or <c>int8</c>.</summary>
    public string? Quantization { get; set; }

    /// <summary>Optional metadata schema: field path to type (<c>keyword</c>, <c>text</c>, <c>integer</c>, <c>float</c>, <c>boolean</c>).</summary>
    public JsonElement Schema { get; set; }
}
