using System.Text.Json.Nodes;
using Piramid.Terraform.Protocol.Diagnostics;
using Piramid.Terraform.Protocol.Schema;
using Piramid.Terraform.Protocol.Values;
using Piramid.Terraform.Provider.Api;

namespace Piramid.Terraform.Provider.Resources;

/// <summary><c>piramid_tenant</c>: a tenant (operator credentials). Name and plan change in place.</summary>
public sealed class TenantResource(PiramidProvider provider) : ApiResource(provider)
{
    /// <summary>The schema (also the data source's computed attributes).</summary>
    public static readonly TfSchema TenantSchema = new(
    [
        new TfAttribute("id", TfType.String, TfMode.Computed, "The tenant id (t_...)."),
        new TfAttribute("name", TfType.String, TfMode.Required, "Unique name."),
        new TfAttribute("plan", TfType.String, TfMode.OptionalComputed, "Plan id; the API's default (free) when unset."),
        new TfAttribute("status", TfType.String, TfMode.Computed, "active or suspended."),
    ], "A tenant: its own engine, keys, members and collections. Deleting it stops its keys at once; its data is purged after the retention period.");

    /// <inheritdoc />
    public override string TypeName => "piramid_tenant";

    /// <inheritdoc />
    public override TfSchema Schema => TenantSchema;

    /// <inheritdoc />
    protected override string Noun => "tenant";

    /// <summary>The state of a tenant from its API form, or null when it is deleted.</summary>
    public static TfValue? FromApi(JsonNode tenant) =>
        (string?)tenant["status"] == "deleted" ? null : TfValue.Object(new Dictionary<string, TfValue>
        {
            ["id"] = TfValue.String((string)tenant["id"]!),
            ["name"] = TfValue.String((string)tenant["name"]!),
            ["plan"] = TfValue.String((string)tenant["plan"]!),
            ["status"] = TfValue.String((string)tenant["status"]!),
        });

    /// <inheritdoc />
    protected override async Task<TfValue> CreateAsync(PiramidApi api, TfValue planned, DiagnosticList diagnostics, CancellationToken ct)
    {
        var body = new JsonObject { ["name"] = planned.GetString("name") };
        if (planned.GetString("plan") is { } plan)
        {
            body["plan"] = plan;
        }

        return FromApi((await api.PostAsync("/v1/tenants", body, ct))!)!;
    }

    /// <inheritdoc />
    protected override async Task<TfValue> UpdateAsync(PiramidApi api, TfValue prior, TfValue planned, DiagnosticList diagnostics, CancellationToken ct)
    {
        var body = new JsonObject { ["name"] = planned.GetString("name"), ["plan"] = planned.GetString("plan") };
        var updated = FromApi((await api.PatchAsync($"/v1/tenants/{Id(prior)}", body, ct))!)!;

        // The status was planned as it was; a change of it shows at the next refresh.
        return updated.With("status", prior["status"]);
    }

    /// <inheritdoc />
    protected override async Task DeleteAsync(PiramidApi api, TfValue prior, DiagnosticList diagnostics, CancellationToken ct)
    {
        try
        {
            await api.DeleteAsync($"/v1/tenants/{Id(prior)}", ct);
        }
        catch (ApiProblemException problem) when (problem.IsNotFound)
        {
        }
    }

    /// <inheritdoc />
    protected override async Task<TfValue?> ReadAsync(PiramidApi api, TfValue state, CancellationToken ct)
    {
        try
        {
            return FromApi((await api.GetAsync($"/v1/tenants/{Id(state)}", ct))!);
        }
        catch (ApiProblemException problem) when (problem.IsNotFound)
        {
            return null;
        }
    }

    /// <inheritdoc />
    protected override Task<TfValue?> ImportAsync(PiramidApi api, string id, DiagnosticList diagnostics, CancellationToken ct) =>
        ReadAsync(api, TfValue.EmptyObject.With("id", TfValue.String(id)), ct);

    private static string Id(TfValue state) => Uri.EscapeDataString(state.GetString("id")!);
}
