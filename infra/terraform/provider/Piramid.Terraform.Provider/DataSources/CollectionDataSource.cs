using Piramid.Terraform.Protocol.Diagnostics;
using Piramid.Terraform.Protocol.Schema;
using Piramid.Terraform.Protocol.Values;
using Piramid.Terraform.Provider.Api;
using Piramid.Terraform.Provider.Resources;

namespace Piramid.Terraform.Provider.DataSources;

/// <summary><c>piramid_collection</c>: a collection's settings and size, through a tenant admin key.</summary>
public sealed class CollectionDataSource(PiramidProvider provider) : ApiDataSource(provider)
{
    /// <inheritdoc />
    public override string TypeName => "piramid_collection";

    /// <inheritdoc />
    public override TfSchema Schema { get; } = new(
    [
        new TfAttribute("id", TfType.String, TfMode.Computed, "<tenant_id>/<name>."),
        new TfAttribute("tenant_id", TfType.String, TfMode.Required, "The tenant (the provider's api_key's)."),
        new TfAttribute("name", TfType.String, TfMode.Required, "Collection name."),
        new TfAttribute("dimension", TfType.Number, TfMode.Computed, "Vector length."),
        new TfAttribute("metric", TfType.String, TfMode.Computed, "cosine, dot or euclidean."),
        new TfAttribute("index", CollectionResource.IndexAttributes.Select(a => new TfAttribute(a.Name, a.Type, TfMode.Computed, a.Description)).ToList(), TfMode.Computed, "The index settings."),
        new TfAttribute("quantization", TfType.String, TfMode.Computed, "none or int8."),
        new TfAttribute("schema", TfType.Map(TfType.String), TfMode.Computed, "Types of metadata fields."),
        new TfAttribute("points_count", TfType.Number, TfMode.Computed, "Points in the collection (count is a name Terraform reserves)."),
    ], "A collection.");

    /// <inheritdoc />
    protected override async Task<TfValue> ReadAsync(PiramidApi api, TfValue config, DiagnosticList diagnostics, CancellationToken ct)
    {
        var info = (await api.GetAsync($"/v1/collections/{Uri.EscapeDataString(config.GetString("name")!)}", ct))!;
        var state = CollectionResource.FromApi(info, config.GetString("tenant_id")!, TfValue.Null);
        var attributes = state.Attributes.Where(a => a.Key != "force_destroy").ToDictionary(a => a.Key, a => a.Value, StringComparer.Ordinal);
        attributes["points_count"] = TfValue.Number(info["count"]?.GetValue<double>() ?? 0);
        return TfValue.Object(attributes);
    }
}
