using System.Text.Json.Nodes;
using Piramid.Terraform.Protocol.Diagnostics;
using Piramid.Terraform.Protocol.Schema;
using Piramid.Terraform.Protocol.Values;
using Piramid.Terraform.Provider.Api;

namespace Piramid.Terraform.Provider.Resources;

/// <summary>
/// <c>piramid_backup_schedule</c>: the scheduled backups of a plan (operator credentials). The API keeps the schedule on
/// the plan (<c>backup_interval_hours</c>, <c>backup_retention_days</c>, <c>pitr_window_hours</c>), so it applies to every
/// tenant on it; the resource writes only those three fields with <c>PUT /v1/plans/{id}</c>, which leaves the plan's
/// other limits alone, so it and <c>piramid_plan</c> never undo each other. Destroy turns the schedule and the recovery
/// window off (interval 0, window 0); retention stays, as it also expires manual backups.
/// </summary>
public sealed class BackupScheduleResource(PiramidProvider provider) : ApiResource(provider)
{
    /// <summary>The plan fields the resource owns, with the API's bounds (docs/API.md).</summary>
    public static readonly (string Name, int Min, int Max)[] Fields =
    [
        ("backup_interval_hours", 1, 8_760),
        ("backup_retention_days", 1, 3_650),
        ("pitr_window_hours", 0, 2_160),
    ];

    private static readonly TfSchema ScheduleSchema = new(
    [
        new TfAttribute("id", TfType.String, TfMode.Computed, "The plan id (one schedule per plan)."),
        new TfAttribute("plan_id", TfType.String, TfMode.Required, "The plan whose tenants are backed up on this schedule.") { RequiresReplace = true },
        new TfAttribute("backup_interval_hours", TfType.Number, TfMode.Required, "Hours between scheduled backups of each tenant on the plan, 1 to 8,760."),
        new TfAttribute("backup_retention_days", TfType.Number, TfMode.OptionalComputed, "Days a backup is kept, 1 to 3,650 (the plan's current value when unset; 7 for a new plan)."),
        new TfAttribute("pitr_window_hours", TfType.Number, TfMode.OptionalComputed, "How far back a point-in-time restore reaches, 0 to 2,160 hours; 0 = none (the plan's current value when unset)."),
    ], "The backup schedule of a plan: every tenant on the plan is backed up every backup_interval_hours. Destroy turns the schedule off.");

    /// <inheritdoc />
    public override string TypeName => "piramid_backup_schedule";

    /// <inheritdoc />
    public override TfSchema Schema => ScheduleSchema;

    /// <inheritdoc />
    protected override string Noun => "backup schedule";

    /// <inheritdoc />
    public override void Validate(TfValue config, DiagnosticList diagnostics)
    {
        foreach (var (name, min, max) in Fields)
        {
            if (config.GetNumber(name) is { } value && (value < min || value > max || value != Math.Floor(value)))
            {
                diagnostics.Error($"Invalid {name}", $"'{name}' must be a whole number between {min} and {max}; got {value}.", AttributePath.Root(name));
            }
        }
    }

    /// <summary>The schedule's state from a plan's API form; null when the plan has no schedule.</summary>
    public static TfValue? FromApi(JsonNode plan)
    {
        if (plan["backup_interval_hours"] is not JsonValue interval)
        {
            return null;
        }

        var id = (string)plan["id"]!;
        return TfValue.Object(new Dictionary<string, TfValue>
        {
            ["id"] = TfValue.String(id),
            ["plan_id"] = TfValue.String(id),
            ["backup_interval_hours"] = TfValue.Number(interval.GetValue<double>()),
            ["backup_retention_days"] = TfValue.NumberOrNull(plan["backup_retention_days"]?.GetValue<double>()),
            ["pitr_window_hours"] = TfValue.NumberOrNull(plan["pitr_window_hours"]?.GetValue<double>()),
        });
    }

    /// <inheritdoc />
    protected override async Task<TfValue> CreateAsync(PiramidApi api, TfValue planned, DiagnosticList diagnostics, CancellationToken ct)
    {
        var id = planned.GetString("plan_id")!;
        var plan = await FindAsync(api, id, ct);
        if (plan is null)
        {
            diagnostics.Error("No such plan", $"There is no plan '{id}'.", AttributePath.Root("plan_id"));
            return TfValue.Null;
        }

        // Adopting a schedule set outside Terraform would make destroy turn off something Terraform did not create.
        if (FromApi(plan) is not null)
        {
            diagnostics.Error("Backup schedule exists", $"Plan '{id}' has a backup schedule already; import it (terraform import <address> {id}) to manage it.",
                AttributePath.Root("plan_id"));
            return TfValue.Null;
        }

        return await PutAsync(api, planned, diagnostics, ct);
    }

    /// <inheritdoc />
    protected override Task<TfValue> UpdateAsync(PiramidApi api, TfValue prior, TfValue planned, DiagnosticList diagnostics, CancellationToken ct) =>
        PutAsync(api, planned, diagnostics, ct);

    /// <inheritdoc />
    protected override async Task DeleteAsync(PiramidApi api, TfValue prior, DiagnosticList diagnostics, CancellationToken ct)
    {
        try
        {
            // 0 turns the schedule off in a PUT (null would mean "unchanged").
            await api.PutAsync(PlanPath(prior.GetString("plan_id")!), new JsonObject { ["backup_interval_hours"] = 0, ["pitr_window_hours"] = 0 }, ct);
        }
        catch (ApiProblemException problem) when (problem.IsNotFound)
        {
        }
    }

    /// <inheritdoc />
    protected override async Task<TfValue?> ReadAsync(PiramidApi api, TfValue state, CancellationToken ct) =>
        await FindAsync(api, state.GetString("plan_id")!, ct) is { } plan ? FromApi(plan) : null;

    /// <inheritdoc />
    protected override async Task<TfValue?> ImportAsync(PiramidApi api, string id, DiagnosticList diagnostics, CancellationToken ct)
    {
        var plan = await FindAsync(api, id, ct);
        if (plan is not null && FromApi(plan) is null)
        {
            diagnostics.Error("Cannot import the backup schedule", $"Plan '{id}' has no backup schedule (its backup_interval_hours is null).");
        }

        return plan is null ? null : FromApi(plan);
    }

    private static async Task<TfValue> PutAsync(PiramidApi api, TfValue planned, DiagnosticList diagnostics, CancellationToken ct)
    {
        var body = new JsonObject();
        foreach (var (name, _, _) in Fields)
        {
            if (planned.GetNumber(name) is { } value)
            {
                body[name] = (long)value;
            }
        }

        var plan = await api.PutAsync(PlanPath(planned.GetString("plan_id")!), body, ct);
        if (plan is null || FromApi(plan) is not { } state)
        {
            diagnostics.Error("No backup schedule", "The API answered the plan without a backup schedule.", AttributePath.Root("backup_interval_hours"));
            return TfValue.Null;
        }

        return state;
    }

    private static string PlanPath(string id) => $"/v1/plans/{Uri.EscapeDataString(id)}";

    private static async Task<JsonNode?> FindAsync(PiramidApi api, string id, CancellationToken ct) =>
        (await api.GetAsync("/v1/plans", ct))?["plans"]?.AsArray().FirstOrDefault(p => (string?)p?["id"] == id);
}
