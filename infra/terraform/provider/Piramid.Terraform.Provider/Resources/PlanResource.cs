using System.Text.Json.Nodes;
using Piramid.Terraform.Protocol.Diagnostics;
using Piramid.Terraform.Protocol.Schema;
using Piramid.Terraform.Protocol.Values;
using Piramid.Terraform.Provider.Api;

namespace Piramid.Terraform.Provider.Resources;

/// <summary>
/// <c>piramid_plan</c>: a plan's limits (operator credentials), created and changed with <c>PUT /v1/plans/{id}</c>.
/// The API cannot delete a plan: destroy removes it from the state only, with a warning.
/// </summary>
public sealed class PlanResource(PiramidProvider provider) : ApiResource(provider)
{
    /// <summary>Limits a new plan must name.</summary>
    public static readonly string[] RequiredLimits =
    [
        "max_collections", "max_points", "max_storage_bytes", "max_dimension", "read_rate_per_second", "read_burst",
        "write_rate_per_second", "write_burst", "monthly_read_units", "monthly_write_units",
    ];

    /// <summary>Limits with the API's defaults when unset.</summary>
    public static readonly string[] OptionalLimits = ["max_requests_in_flight", "engine_memory_bytes", "audit_retention_days"];

    private static readonly TfSchema PlanSchema = new(
    [
        new TfAttribute("id", TfType.String, TfMode.Required, "Plan id: 1-63 lower-case letters, digits, '_' or '-'.") { RequiresReplace = true },
        new TfAttribute("name", TfType.String, TfMode.OptionalComputed, "Display name (the id when unset)."),
        .. RequiredLimits.Select(l => new TfAttribute(l, TfType.Number, TfMode.Required, $"The plan's {l.Replace('_', ' ')}.")),
        .. OptionalLimits.Select(l => new TfAttribute(l, TfType.Number, TfMode.OptionalComputed, $"The plan's {l.Replace('_', ' ')} (the API's default when unset).")),
    ], "A plan: the limits of the tenants on it. A change reaches every tenant on the plan. Plans cannot be deleted through the API.");

    /// <inheritdoc />
    public override string TypeName => "piramid_plan";

    /// <inheritdoc />
    public override TfSchema Schema => PlanSchema;

    /// <inheritdoc />
    protected override string Noun => "plan";

    /// <summary>A plan's state from its API form.</summary>
    public static TfValue FromApi(JsonNode plan)
    {
        var attributes = new Dictionary<string, TfValue>
        {
            ["id"] = TfValue.String((string)plan["id"]!),
            ["name"] = TfValue.String((string)plan["name"]!),
        };
        foreach (var limit in RequiredLimits.Concat(OptionalLimits))
        {
            attributes[limit] = TfValue.NumberOrNull(plan[limit]?.GetValue<double>());
        }

        return TfValue.Object(attributes);
    }

    /// <inheritdoc />
    protected override async Task<TfValue> CreateAsync(PiramidApi api, TfValue planned, DiagnosticList diagnostics, CancellationToken ct)
    {
        if (await FindAsync(api, planned.GetString("id")!, ct) is not null)
        {
            diagnostics.Error("Plan exists", $"A plan '{planned.GetString("id")}' exists already; import it (terraform import <address> {planned.GetString("id")}) to manage it.",
                Protocol.Diagnostics.AttributePath.Root("id"));
            return TfValue.Null;
        }

        return await PutAsync(api, planned, ct);
    }

    /// <inheritdoc />
    protected override Task<TfValue> UpdateAsync(PiramidApi api, TfValue prior, TfValue planned, DiagnosticList diagnostics, CancellationToken ct) =>
        PutAsync(api, planned, ct);

    /// <inheritdoc />
    protected override Task DeleteAsync(PiramidApi api, TfValue prior, DiagnosticList diagnostics, CancellationToken ct)
    {
        diagnostics.Warning("Plan kept", $"The API cannot delete plans: plan '{prior.GetString("id")}' stays on the platform and is only removed from the Terraform state.");
        return Task.CompletedTask;
    }

    /// <inheritdoc />
    protected override async Task<TfValue?> ReadAsync(PiramidApi api, TfValue state, CancellationToken ct) =>
        await FindAsync(api, state.GetString("id")!, ct) is { } plan ? FromApi(plan) : null;

    /// <inheritdoc />
    protected override Task<TfValue?> ImportAsync(PiramidApi api, string id, DiagnosticList diagnostics, CancellationToken ct) =>
        ReadAsync(api, TfValue.EmptyObject.With("id", TfValue.String(id)), ct);

    private static async Task<TfValue> PutAsync(PiramidApi api, TfValue planned, CancellationToken ct)
    {
        var body = new JsonObject();
        if (planned.GetString("name") is { } name)
        {
            body["name"] = name;
        }

        foreach (var limit in RequiredLimits.Concat(OptionalLimits))
        {
            if (planned.GetNumber(limit) is { } value)
            {
                body[limit] = (long)value;
            }
        }

        return FromApi((await api.PutAsync($"/v1/plans/{Uri.EscapeDataString(planned.GetString("id")!)}", body, ct))!);
    }

    private static async Task<JsonNode?> FindAsync(PiramidApi api, string id, CancellationToken ct) =>
        (await api.GetAsync("/v1/plans", ct))?["plans"]?.AsArray().FirstOrDefault(p => (string?)p?["id"] == id);
}
