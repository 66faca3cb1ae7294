using System.Text.Json;

namespace Piramid.Engine.Commands;

/// <summary>
/// A change of a collection's settings, as the caller gave it: null members (and an undefined schema) are left as
/// they are. Only <c>Index.Ef</c> may differ from the collection's value (CollectionConfig.WithUpdate).
/// </summary>
/// <param name="Dimension">Must equal the collection's.</param>
/// <param name="Metric">Must equal the collection's.</param>
/// <param name="Index">Index settings; only <c>Ef</c> changes.</param>
/// <param name="Quantization">Must equal the collection's.</param>
/// <param name="Schema">Must equal the collection's.</param>
/// <param name="AutoIndex">Must equal the collection's.</param>
public sealed record UpdateCollection(
    int? Dimension = null, string? Metric = null, IndexSpec? Index = null, string? Quantization = null, JsonElement Schema = default, bool? AutoIndex = null);
