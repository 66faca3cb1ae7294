using System.Text.Json;
using Piramid.Contracts.Collections;

namespace Piramid.Contracts.Exports;

/// <summary>A collection's settings in an export manifest: the fields of a create request, plus its name.</summary>
public sealed class ExportCollection
{
    /// <summary>The exported collection's name.</summary>
    public required string Name { get; set; }

    /// <summary>Vector dimension.</summary>
    public int Dimension { get; set; }

    /// <summary><c>cosine</c>, <c>dot</c> or <c>euclidean</c>.</summary>
    public required string Metric { get; set; }

    /// <summary>Index settings.</summary>
    public required IndexSettings Index { get; set; }

    /// <summary><c>none</c> or <c>int8</c>.</summary>
    public required string Quantization { get; set; }

    /// <summary>The metadata schema, or null.</summary>
    public JsonElement? Schema { get; set; }
}
