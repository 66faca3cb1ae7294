using System.Security.Cryptography;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using Piramid.Contracts;
using Piramid.Contracts.Admin;
using Piramid.Contracts.Problems;
using Piramid.ControlPlane.Auditing;
using Piramid.ControlPlane.Data;
using Piramid.ControlPlane.Data.Entities;
using Piramid.ControlPlane.Keys;
using Piramid.ControlPlane.Orchestration;
using Piramid.ServiceDefaults;

namespace Piramid.ControlPlane.Tenants;

/// <summary>
/// The tenant lifecycle: the database is the source of truth and is written first; the orchestrator is
/// then asked to converge (provision, stop, start, restart with a new plan). Every change is audited and
/// announced on the change feed.
/// </summary>
public sealed partial class TenantService(
    ControlPlaneDbContext db, IEngineOrchestrator orchestrator, ApiKeyService keys, AuditTrail audit, TimeProvider time, IOptions<TenantOptions> options,
    IOptions<Billing.BillingOptions> billing)
{
    /// <summary>Creates a tenant and provisions its engine (waits until it is ready).</summary>
    public Task<TenantInfo> CreateAsync(TenantCreateRequest request, CancellationToken cancellationToken) =>
        CreateAsync(request, alsoSave: null, cancellationToken);

    /// <summary>
    /// Creates a tenant; <paramref name="alsoSave"/> adds rows that must be written in the same transaction as the
    /// tenant (sign-up: the user and the owner membership), so either all exist or none. Then provisions the engine.
    /// </summary>
    public async Task<TenantInfo> CreateAsync(TenantCreateRequest request, Action<Tenant>? alsoSave, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        var name = CheckName(request.Name);
        var plan = await FindPlanAsync(request.Plan ?? options.Value.DefaultPlan, cancellationToken);
        if (await db.Tenants.AnyAsync(t => t.Name == name, cancellationToken))
        {
            throw new ProblemException(ProblemCatalog.Conflict, $"A tenant named '{name}' already exists.");
        }

        var now = time.GetUtcNow();
        var tenant = new Tenant
        {
            Id = "t_" + Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(8)),
            Name = name,
            PlanId = plan.Id,
            Status = TenantStatus.Active,
            CreatedAt = now,
            UpdatedAt = now,
        };
        db.Tenants.Add(tenant);
        audit.Record<TenantInfo>("tenant.create", "tenant", tenant.Id, tenant.Id, null, tenant.ToInfo(null));
        Announce(tenant.Id);
        alsoSave?.Invoke(tenant);
        await db.SaveChangesAsync(cancellationToken);

        var route = await ConvergeAsync(() => orchestrator.ProvisionAsync(tenant, plan, cancellationToken));
        return tenant.ToInfo(route.State);
    }

    /// <summary>Every tenant, by name.</summary>
    public async Task<IReadOnlyList<TenantInfo>> ListAsync(CancellationToken cancellationToken)
    {
        var tenants = await db.Tenants.OrderBy(t => t.Name).ToListAsync(cancellationToken);
        var engines = await db.Engines.ToDictionaryAsync(e => e.TenantId, e => e.State, cancellationToken);
        List<TenantInfo> infos = [.. tenants.Select(t => t.ToInfo(engines.TryGetValue(t.Id, out var s) ? s : null))];
        await Billing.PaymentStanding.AddToAsync(db, billing.Value, infos, cancellationToken);
        return infos;
    }

    /// <summary>One tenant; 404 when unknown.</summary>
    public async Task<TenantInfo> GetAsync(string id, CancellationToken cancellationToken)
    {
        var tenant = await FindAsync(id, cancellationToken);
        var info = tenant.ToInfo(await EngineStateAsync(id, cancellationToken));
        info.Limits = (await FindPlanAsync(tenant.PlanId, cancellationToken)).ToLimits();
        return info;
    }

    /// <summary>Renames and/or moves to another plan; a plan change reaches the engine at once.</summary>
    public async Task<TenantInfo> UpdateAsync(string id, TenantUpdateRequest request, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        var tenant = await FindAsync(id, cancellationToken);
        RequireNotDeleted(tenant);
        var before = tenant.ToInfo(null);
        if (request.Name is not null)
        {
            var name = CheckName(request.Name);
            if (name != tenant.Name && await db.Tenants.AnyAsync(t => t.Name == name, cancellationToken))
            {
                throw new ProblemException(ProblemCatalog.Conflict, $"A tenant named '{name}' already exists.");
            }

            tenant.Name = name;
        }

        Plan? newPlan = null;
        if (request.Plan is not null && request.Plan != tenant.PlanId)
        {
            newPlan = await FindPlanAsync(request.Plan, cancellationToken);
            tenant.PlanId = newPlan.Id;
        }

        tenant.UpdatedAt = time.GetUtcNow();
        audit.Record("tenant.update", "tenant", tenant.Id, tenant.Id, before, tenant.ToInfo(null));
        Announce(tenant.Id);
        await db.SaveChangesAsync(cancellationToken);
        if (newPlan is not null)
        {
            await ApplyPlanAsync(tenant.Id, newPlan, cancellationToken);
        }

        return tenant.ToInfo(await EngineStateAsync(id, cancellationToken));
    }

    /// <summary>
    /// Moves the tenant to <paramref name="planId"/> in the database only, in the caller's transaction (a Stripe
    /// webhook commits it with the event's receipt, so a failure loses neither); <see cref="ApplyPlanAsync"/> then brings
    /// its engine to it. Null, and nothing changed, when the plan does not exist here or the tenant is deleted.
    /// </summary>
    public async Task<Plan?> RecordPlanAsync(string id, string planId, CancellationToken cancellationToken)
    {
        var tenant = await FindAsync(id, cancellationToken);
        var plan = await db.Plans.SingleOrDefaultAsync(p => p.Id == planId, cancellationToken);
        if (plan is null || tenant.Status == TenantStatus.Deleted)
        {
            return null;
        }

        if (tenant.PlanId != plan.Id)
        {
            var before = tenant.ToInfo(null);
            tenant.PlanId = plan.Id;
            tenant.UpdatedAt = time.GetUtcNow();
            audit.Record("tenant.update", "tenant", tenant.Id, tenant.Id, before, tenant.ToInfo(null));
            Announce(tenant.Id);
            await db.SaveChangesAsync(cancellationToken);
        }

        return plan;
    }

    /// <summary>Brings an active tenant's engine to <paramref name="plan"/>, once <see cref="RecordPlanAsync"/> is committed.</summary>
    public async Task ApplyPlanAsync(string id, Plan plan, CancellationToken cancellationToken)
    {
        var tenant = await FindAsync(id, cancellationToken);
        if (tenant.Status == TenantStatus.Active)
        {
            await ConvergeAsync(async () =>
            {
                await orchestrator.ApplyPlanAsync(tenant.Id, plan, cancellationToken);
                return true;
            });
        }
    }

    /// <summary>
    /// Marks the tenant suspended in the database only, in the caller's transaction; <see cref="SuspendAsync"/> (idempotent)
    /// then stops its engine. Does nothing to a deleted or already suspended tenant.
    /// </summary>
    public async Task RecordSuspensionAsync(string id, CancellationToken cancellationToken)
    {
        var tenant = await FindAsync(id, cancellationToken);
        if (tenant.Status == TenantStatus.Active)
        {
            await SetStatusAsync(tenant, TenantStatus.Suspended, "tenant.suspend", cancellationToken);
        }
    }

    /// <summary>Suspends: requests are refused, the engine stops, data is kept. Idempotent.</summary>
    public async Task<TenantInfo> SuspendAsync(string id, CancellationToken cancellationToken)
    {
        var tenant = await FindAsync(id, cancellationToken);
        RequireNotDeleted(tenant);
        if (tenant.Status != TenantStatus.Suspended)
        {
            await SetStatusAsync(tenant, TenantStatus.Suspended, "tenant.suspend", cancellationToken);
        }

        await orchestrator.StopAsync(id, cancellationToken);
        return tenant.ToInfo(await EngineStateAsync(id, cancellationToken));
    }

    /// <summary>Resumes a suspended tenant: its engine starts with its data. Idempotent.</summary>
    public async Task<TenantInfo> ResumeAsync(string id, CancellationToken cancellationToken)
    {
        var tenant = await FindAsync(id, cancellationToken);
        RequireNotDeleted(tenant);
        if (tenant.Status != TenantStatus.Active)
        {
            await SetStatusAsync(tenant, TenantStatus.Active, "tenant.resume", cancellationToken);
        }

        var route = await ConvergeAsync(() => orchestrator.StartAsync(id, cancellationToken));
        return tenant.ToInfo(route.State);
    }

    /// <summary>Deletes: keys revoked at once, engine stopped, data purged after the retention period.</summary>
    public async Task<TenantInfo> DeleteAsync(string id, CancellationToken cancellationToken)
    {
        var tenant = await FindAsync(id, cancellationToken);
        if (tenant.Status != TenantStatus.Deleted)
        {
            var now = time.GetUtcNow();
            tenant.DeletedAt = now;
            tenant.PurgeAfter = now + options.Value.DeletedRetention;
            await SetStatusAsync(tenant, TenantStatus.Deleted, "tenant.delete", cancellationToken);
            await keys.RevokeAllAsync(id, cancellationToken);
        }

        await orchestrator.StopAsync(id, cancellationToken);
        return tenant.ToInfo(await EngineStateAsync(id, cancellationToken));
    }

    /// <summary>Purges every deleted tenant whose retention has passed; returns how many.</summary>
    public async Task<int> PurgeDueAsync(CancellationToken cancellationToken)
    {
        var now = time.GetUtcNow();
        var due = await db.Tenants
            .Where(t => t.Status == TenantStatus.Deleted && t.PurgeAfter <= now)
            .Where(t => db.Engines.Any(e => e.TenantId == t.Id))
            .Select(t => t.Id)
            .ToListAsync(cancellationToken);
        foreach (var id in due)
        {
            await orchestrator.PurgeAsync(id, cancellationToken);
            audit.Record<TenantInfo>("tenant.purge", "tenant", id, id, null, null);
            await db.SaveChangesAsync(cancellationToken);
        }

        return due.Count;
    }

    private async Task SetStatusAsync(Tenant tenant, TenantStatus status, string action, CancellationToken cancellationToken)
    {
        var before = tenant.ToInfo(null);
        tenant.Status = status;
        tenant.UpdatedAt = time.GetUtcNow();
        audit.Record(action, "tenant", tenant.Id, tenant.Id, before, tenant.ToInfo(null));
        Announce(tenant.Id);
        await db.SaveChangesAsync(cancellationToken);
    }

    private void Announce(string tenantId) =>
        db.ChangeEvents.Add(new ChangeEvent { Kind = ChangeKinds.Tenant, Subject = tenantId, Time = time.GetUtcNow() });

    private async Task<Tenant> FindAsync(string id, CancellationToken cancellationToken) =>
        await db.Tenants.SingleOrDefaultAsync(t => t.Id == id, cancellationToken)
        ?? throw new ProblemException(ProblemCatalog.NotFound, $"Tenant '{id}' does not exist.");

    private async Task<Plan> FindPlanAsync(string id, CancellationToken cancellationToken) =>
        await db.Plans.SingleOrDefaultAsync(p => p.Id == id, cancellationToken)
        ?? throw new ProblemException(ProblemCatalog.InvalidRequest, $"Plan '{id}' does not exist; GET /v1/plans lists them.");

    private async Task<EngineState?> EngineStateAsync(string id, CancellationToken cancellationToken) =>
        await db.Engines.Where(e => e.TenantId == id).Select(e => (EngineState?)e.State).SingleOrDefaultAsync(cancellationToken);

    private static void RequireNotDeleted(Tenant tenant)
    {
        if (tenant.Status == TenantStatus.Deleted)
        {
            throw new ProblemException(ProblemCatalog.Conflict, $"Tenant '{tenant.Id}' is deleted.");
        }
    }

    private static string CheckName(string? name) =>
        Contracts.Names.NameRules.TenantName.IsValid(name)
            ? name
            : throw new ProblemException(ProblemCatalog.InvalidRequest, "'name' must be 1-63 lower-case letters, digits, '_' or '-', starting with a letter or digit.");

    private static async Task<T> ConvergeAsync<T>(Func<Task<T>> action)
    {
        try
        {
            return await action();
        }
        catch (Exception e) when (e is IOException or InvalidOperationException or TimeoutException or HttpRequestException)
        {
            // The tenant is recorded; the supervisor keeps converging. The caller learns it is not serving yet.
            throw new ProblemException(ProblemCatalog.EngineUnavailable, $"The tenant is saved but its engine is not ready yet: {e.Message}");
        }
    }
}
