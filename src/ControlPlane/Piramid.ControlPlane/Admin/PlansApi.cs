using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using Piramid.Contracts.Admin;
using Piramid.Contracts.Problems;
using Piramid.ControlPlane.Auditing;
using Piramid.ControlPlane.Data;
using Piramid.ControlPlane.Data.Entities;
using Piramid.ControlPlane.Identity;
using Piramid.ControlPlane.Orchestration;
using Piramid.ControlPlane.Tenants;
using Piramid.ServiceDefaults;

namespace Piramid.ControlPlane.Admin;

/// <summary>Plans: list, and create or replace one (its limits reach every tenant on it).</summary>
public static class PlansApi
{
    /// <summary>Maps <c>/v1/plans</c>.</summary>
    public static IEndpointRouteBuilder MapPlansApi(this IEndpointRouteBuilder app)
    {
        var group = app.MapGroup("/v1/plans")
            .RequireAuthorization(IdentityPolicies.PlatformAdmin);
        group.MapGet("/", List);
        group.MapPut("/{id}", Put).AddEndpointFilter(IdempotencyFilter.Handle);
        return app;
    }

    private static async Task<Ok<PlanList>> List(ControlPlaneDbContext db, CancellationToken ct) =>
        TypedResults.Ok(new PlanList { Plans = [.. (await db.Plans.OrderBy(p => p.Id).ToListAsync(ct)).Select(p => p.ToInfo())] });

    private static async Task<Ok<PlanInfo>> Put(
        string id, PlanInfo request, ControlPlaneDbContext db, AuditTrail audit, IEngineOrchestrator orchestrator,
        IOptions<LocalOrchestratorOptions> orchestration, TimeProvider time, CancellationToken ct)
    {
        if (!Contracts.Names.NameRules.PlanId.IsValid(id))
        {
            throw new ProblemException(ProblemCatalog.InvalidRequest, "The plan id must be 1-63 lower-case letters, digits, '_' or '-'.");
        }

        var plan = await db.Plans.SingleOrDefaultAsync(p => p.Id == id, ct);
        var before = plan?.ToInfo();
        plan ??= db.Plans.Add(new Plan { Id = id, Name = id }).Entity;
        plan.Name = string.IsNullOrWhiteSpace(request.Name) ? plan.Name
            : request.Name.Length <= 128 ? request.Name : throw new ProblemException(ProblemCatalog.InvalidRequest, "'name' must be at most 128 characters.");
        plan.MaxCollections = Positive(request.MaxCollections, "max_collections") ?? (before is null ? Missing<int>("max_collections") : plan.MaxCollections);
        plan.MaxPoints = Positive(request.MaxPoints, "max_points") ?? (before is null ? Missing<long>("max_points") : plan.MaxPoints);
        plan.MaxStorageBytes = Positive(request.MaxStorageBytes, "max_storage_bytes") ?? (before is null ? Missing<long>("max_storage_bytes") : plan.MaxStorageBytes);
        plan.MaxDimension = Positive(request.MaxDimension, "max_dimension") is int d
            ? (d <= Contracts.Limits.MaxDimension ? d : throw new ProblemException(ProblemCatalog.InvalidRequest, $"'max_dimension' must be at most {Contracts.Limits.MaxDimension}."))
            : (before is null ? Missing<int>("max_dimension") : plan.MaxDimension);
        plan.ReadRatePerSecond = Positive(request.ReadRatePerSecond, "read_rate_per_second") ?? (before is null ? Missing<int>("read_rate_per_second") : plan.ReadRatePerSecond);
        plan.ReadBurst = Positive(request.ReadBurst, "read_burst") ?? (before is null ? Missing<int>("read_burst") : plan.ReadBurst);
        plan.WriteRatePerSecond = Positive(request.WriteRatePerSecond, "write_rate_per_second") ?? (before is null ? Missing<int>("write_rate_per_second") : plan.WriteRatePerSecond);
        plan.WriteBurst = Positive(request.WriteBurst, "write_burst") ?? (before is null ? Missing<int>("write_burst") : plan.WriteBurst);
        plan.MonthlyReadUnits = Positive(request.MonthlyReadUnits, "monthly_read_units") ?? (before is null ? Missing<long>("monthly_read_units") : plan.MonthlyReadUnits);
        plan.MonthlyWriteUnits = Positive(request.MonthlyWriteUnits, "monthly_write_units") ?? (before is null ? Missing<long>("monthly_write_units") : plan.MonthlyWriteUnits);
        // Added after the first plans: optional, a new plan gets the defaults (PlanDefaults).
        plan.MaxRequestsInFlight = InRange(request.MaxRequestsInFlight, 1, PlanDefaults.MaxMaxRequestsInFlight, "max_requests_in_flight") ?? plan.MaxRequestsInFlight;
        plan.EngineMemoryBytes = InRange(request.EngineMemoryBytes, PlanDefaults.MinEngineMemoryBytes, long.MaxValue, "engine_memory_bytes") ?? plan.EngineMemoryBytes;
        plan.AuditRetentionDays = InRange(request.AuditRetentionDays, 1, PlanDefaults.MaxAuditRetentionDays, "audit_retention_days") ?? plan.AuditRetentionDays;
        plan.BackupIntervalHours = InRange(request.BackupIntervalHours, 0, PlanDefaults.MaxBackupIntervalHours, "backup_interval_hours") is int hours
            ? (hours == 0 ? null : hours) : plan.BackupIntervalHours;
        plan.BackupRetentionDays = InRange(request.BackupRetentionDays, 1, PlanDefaults.MaxBackupRetentionDays, "backup_retention_days") ?? plan.BackupRetentionDays;
        plan.PitrWindowHours = InRange(request.PitrWindowHours, 0, PlanDefaults.MaxPitrWindowHours, "pitr_window_hours") ?? plan.PitrWindowHours;
        plan.HibernateAfterSeconds = HibernateAfter(request.HibernateAfterSeconds, orchestration.Value.MinHibernateAfter) is int idle
            ? (idle == 0 ? null : idle) : plan.HibernateAfterSeconds;
        plan.UpdatedAt = time.GetUtcNow();
        audit.Record("plan.put", "plan", id, null, before, plan.ToInfo());
        db.ChangeEvents.Add(new ChangeEvent { Kind = ChangeKinds.Plan, Subject = id, Time = time.GetUtcNow() });
        await db.SaveChangesAsync(ct);

        // Engines enforce the storage-side limits themselves, so they restart with the new ones.
        var tenants = await db.Tenants.Where(t => t.PlanId == id && t.Status == TenantStatus.Active).Select(t => t.Id).ToListAsync(ct);
        foreach (var tenant in tenants)
        {
            await orchestrator.ApplyPlanAsync(tenant, plan, ct);
        }

        return TypedResults.Ok(plan.ToInfo());
    }

    private static T? Positive<T>(T? value, string field)
        where T : struct, System.Numerics.INumber<T> =>
        value is T v && v <= T.Zero ? throw new ProblemException(ProblemCatalog.InvalidRequest, $"'{field}' must be positive.") : value;

    private static T? InRange<T>(T? value, T min, T max, string field)
        where T : struct, System.Numerics.INumber<T> =>
        value is T v && (v < min || v > max) ? throw new ProblemException(ProblemCatalog.InvalidRequest, $"'{field}' must be between {min} and {max}.") : value;

    // 0 is never; below the minimum a busy engine stops between two of the gateway's activity reports.
    private static int? HibernateAfter(int? seconds, TimeSpan minimum)
    {
        var min = (int)Math.Ceiling(minimum.TotalSeconds);
        return seconds is int s && s != 0 && (s < min || s > PlanDefaults.MaxHibernateAfterSeconds)
            ? throw new ProblemException(ProblemCatalog.InvalidRequest,
                $"'hibernate_after_seconds' must be 0 (never) or between {min} and {PlanDefaults.MaxHibernateAfterSeconds}.")
            : InRange(seconds, 0, PlanDefaults.MaxHibernateAfterSeconds, "hibernate_after_seconds");
    }

    private static T Missing<T>(string field) => throw new ProblemException(ProblemCatalog.InvalidRequest, $"'{field}' is required for a new plan.");
}
