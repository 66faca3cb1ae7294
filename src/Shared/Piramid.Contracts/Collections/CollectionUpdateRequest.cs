using System.Text.Json;

namespace Piramid.Contracts.Collections;

/// <summary>
/// Body of <c>PATCH /v1/collections/{name}</c>: the settings to change. Only <c>index.ef</c> (the default search
/// breadth) changes in place; every other field may repeat the collection's value (so the body of the create can be
/// sent back), and a different value is a 400 naming the field, because the stored index is built with it.
/// </summary>
/// <example>{"index": {"ef": 128}}</example>
public sealed class CollectionUpdateRequest
{
    /// <summary>Must equal the collection's dimension.</summary>
    public int? Dimension { get; set; }

    /// <summary>Must equal the collection's metric.</summary>
    public string? Metric { get; set; }

    /// <summary>Index settings: <c>ef</c> changes; <c>type</c>, <c>m</c> and <c>ef_construction</c> must equal the collection's.</summary>
    public IndexSettings? Index { get; set; }

    /// <summary>Must equal the collection's quantization.</summary>
    public string? Quantization { get; set; }

    /// <summary>Must equal the collection's schema.</summary>
    public JsonElement Schema { get; set; }

    /// <summary>Must equal the collection's <c>auto_index</c>.</summary>
    public bool? AutoIndex { get; set; }
}
