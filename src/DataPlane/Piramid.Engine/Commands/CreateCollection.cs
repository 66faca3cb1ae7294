using System.Text.Json;

namespace Piramid.Engine.Commands;

/// <summary>The settings of a new collection, as the caller gave them; unset ones get their defaults.</summary>
/// <param name="Dimension">Vector dimension (required).</param>
/// <param name="Metric"><c>cosine</c> (default), <c>dot</c> or <c>euclidean</c>.</param>
/// <param name="Index">Index settings, or null for the defaults.</param>
/// <param name="Quantization"><c>none</c> (default) or <c>int8</c>.</param>
/// <param name="Schema">Typed metadata fields, or undefined/null for none.</param>
/// <param name="AutoIndex">Whether undeclared metadata fields are indexed (null: true).</param>
public sealed record CreateCollection(
    int? Dimension, string? Metric = null, IndexSpec? Index = null, string? Quantization = null, JsonElement Schema = default, bool? AutoIndex = null);
