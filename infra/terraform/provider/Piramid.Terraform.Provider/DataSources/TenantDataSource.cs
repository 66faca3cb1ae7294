using Piramid.Terraform.Protocol.Diagnostics;
using Piramid.Terraform.Protocol.Schema;
using Piramid.Terraform.Protocol.Values;
using Piramid.Terraform.Provider.Api;
using Piramid.Terraform.Provider.Resources;

namespace Piramid.Terraform.Provider.DataSources;

/// <summary><c>piramid_tenant</c>: a tenant by id.</summary>
public sealed class TenantDataSource(PiramidProvider provider) : ApiDataSource(provider)
{
    /// <inheritdoc />
    public override string TypeName => "piramid_tenant";

    /// <inheritdoc />
    public override TfSchema Schema { get; } = new(
    [
        new TfAttribute("id", TfType.String, TfMode.Required, "The tenant id."),
        new TfAttribute("name", TfType.String, TfMode.Computed, "Its name."),
        new TfAttribute("plan", TfType.String, TfMode.Computed, "Its plan id."),
        new TfAttribute("status", TfType.String, TfMode.Computed, "active or suspended."),
    ], "A tenant.");

    /// <inheritdoc />
    protected override async Task<TfValue> ReadAsync(PiramidApi api, TfValue config, DiagnosticList diagnostics, CancellationToken ct)
    {
        var id = config.GetString("id")!;
        if (TenantResource.FromApi((await api.GetAsync($"/v1/tenants/{Uri.EscapeDataString(id)}", ct))!) is { } tenant)
        {
            return tenant;
        }

        diagnostics.Error("Tenant deleted", $"Tenant '{id}' is deleted.", AttributePath.Root("id"));
        return TfValue.Null;
    }
}
