using System.ComponentModel.DataAnnotations;
using System.Text.Json;

namespace Piramid.Contracts.Collections;

/// <summary>Body of <c>PUT /v1/collections/{name}</c>.</summary>
/// <example>{"dimension": 4, "metric": "cosine", "index": {"type": "hnsw", "m": 16, "ef_construction": 200}, "quantization": "none", "schema": {"genre": "keyword", "year": "integer"}}</example>
public sealed class CreateCollectionRequest
{
    /// <summary>Vector dimension, 1 to <see cref="Limits.MaxDimension"/>.</summary>
    public int? Dimension { get; set; }

    /// <summary><c>cosine</c> (default), <c>dot</c> or <c>euclidean</c>.</summary>
    [AllowedValues("cosine", "dot", "euclidean")]
    public string? Metric { get; set; }

    /// <summary>Index settings; HNSW with m=16, ef_construction=200 when absent.</summary>
    public IndexSettings? Index { get; set; }

    /// <summary><c>none</c> (default) or <c>int8</c>.</summary>
    [AllowedValues("none", "int8")]
    public string? Quantization { get; set; }

    /// <summary>Optional metadata schema: field path to type (<c>keyword</c>, <c>text</c>, <c>integer</c>, <c>float</c>, <c>boolean</c>).</summary>
    public JsonElement Schema { get; set; }

    /// <summary>
    /// Whether metadata fields the schema does not declare are indexed as points first hold them (default true), up
    /// to <see cref="Limits.MaxAutoIndexedFields"/> per collection; false indexes only the schema's typed fields.
    /// </summary>
    public bool? AutoIndex { get; set; }
}
