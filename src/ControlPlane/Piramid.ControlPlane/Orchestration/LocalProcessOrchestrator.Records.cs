using Microsoft.EntityFrameworkCore;
using Npgsql;
using Piramid.ControlPlane.Data;
using Piramid.ControlPlane.Data.Entities;

namespace Piramid.ControlPlane.Orchestration;

/// <summary>The <c>engines</c> rows: the durable half of what the slots hold in memory.</summary>
public sealed partial class LocalProcessOrchestrator
{
    private async Task<List<EngineSlot>> LoadAllSlotsAsync(CancellationToken cancellationToken)
    {
        await using var scope = _scopes.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<ControlPlaneDbContext>();
        var rows = await (from e in db.Engines.AsNoTracking()
                          join t in db.Tenants.AsNoTracking() on e.TenantId equals t.Id
                          join p in db.Plans.AsNoTracking() on t.PlanId equals p.Id
                          select new { Engine = e, Plan = p }).ToListAsync(cancellationToken);
        return [.. rows.Select(r => SlotOf(r.Engine, r.Plan))];
    }

    /// <summary>A slot for a row this instance has no slot for yet (created by another control-plane instance).</summary>
    private async Task<EngineSlot?> LoadSlotAsync(string tenantId, CancellationToken cancellationToken)
    {
        await using var scope = _scopes.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<ControlPlaneDbContext>();
        var row = await (from e in db.Engines.AsNoTracking()
                         where e.TenantId == tenantId
                         join t in db.Tenants.AsNoTracking() on e.TenantId equals t.Id
                         join p in db.Plans.AsNoTracking() on t.PlanId equals p.Id
                         select new { Engine = e, Plan = p }).SingleOrDefaultAsync(cancellationToken);
        if (row is null)
        {
            return null;
        }

        var slot = SlotOf(row.Engine, row.Plan);
        _slots[tenantId] = slot;
        return slot;
    }

    private EngineSlot SlotOf(EngineRecord record, Plan plan) =>
        new(record.TenantId, record.DataDirectory, record.WrappedDataKey, _keys.UnwrapSecret(record.TenantId, record.WrappedEngineSecret), _options.RestartBackoffInitial)
        {
            Limits = EngineLimits.From(plan),
            HibernateAfter = HibernateAfterOf(plan),
            LastActivity = _time.GetUtcNow(), // Unknown after a control-plane start: idle from now.
            ShouldRun = record.State is not (EngineState.Stopped or EngineState.Hibernating),
            State = record.State,
            Pid = record.ProcessId,
            ProcessStartTime = record.ProcessStartTime,
            UserId = record.OsUserId,
            Endpoint = record.Endpoint is null ? null : new Uri(record.Endpoint),
            Port = record.Endpoint is null ? null : new Uri(record.Endpoint).Port,
            StartedAt = record.StartedAt,
            RestartCount = record.RestartCount,
        };

    private static TimeSpan? HibernateAfterOf(Plan plan) =>
        plan.HibernateAfterSeconds is { } seconds ? TimeSpan.FromSeconds(seconds) : null;

    private async Task InsertRecordAsync(string tenantId, string dataDirectory, byte[] wrappedDataKey, byte[] wrappedSecret, CancellationToken cancellationToken)
    {
        await using var scope = _scopes.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<ControlPlaneDbContext>();
        db.Engines.Add(new EngineRecord
        {
            TenantId = tenantId,
            DataDirectory = dataDirectory,
            WrappedDataKey = wrappedDataKey,
            WrappedEngineSecret = wrappedSecret,
            State = EngineState.Provisioning,
            UpdatedAt = _time.GetUtcNow(),
        });
        await db.SaveChangesAsync(cancellationToken);
    }

    private async Task SaveAsync(EngineSlot slot, CancellationToken cancellationToken)
    {
        var now = _time.GetUtcNow();
        await using var scope = _scopes.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<ControlPlaneDbContext>();
        var endpoint = slot.Endpoint?.GetLeftPart(UriPartial.Authority);
        var before = await db.Engines.Where(e => e.TenantId == slot.TenantId)
            .Select(e => new { e.Endpoint, e.State }).SingleOrDefaultAsync(cancellationToken);
        await db.Engines.Where(e => e.TenantId == slot.TenantId).ExecuteUpdateAsync(
            s => s.SetProperty(e => e.State, slot.State)
                .SetProperty(e => e.ProcessId, slot.Pid)
                .SetProperty(e => e.ProcessStartTime, slot.ProcessStartTime)
                .SetProperty(e => e.Endpoint, endpoint)
                .SetProperty(e => e.StartedAt, slot.StartedAt)
                .SetProperty(e => e.RestartCount, slot.RestartCount)
                .SetProperty(e => e.UpdatedAt, now),
            cancellationToken);
        if (before is null || before.Endpoint != endpoint || before.State != slot.State)
        {
            // The gateway's routing table follows the change feed: a moved or stopped engine is seen within a poll.
            await AnnounceRouteAsync(db, slot.TenantId, cancellationToken);
        }
    }

    /// <summary>
    /// The tenant's uid: the recorded one, else the lowest free uid of the range, claimed in the row. The unique
    /// index on <c>os_user_id</c> settles a race between two control planes: the loser takes the next one.
    /// </summary>
    private async Task<int> UserIdOfAsync(EngineSlot slot, CancellationToken cancellationToken)
    {
        if (slot.UserId is { } known)
        {
            return known;
        }

        // One claim at a time in this control plane: concurrent starts otherwise all pick the lowest free uid, and all
        // but one hit the unique index (logged as errors, and retried at most 10 times). Another instance's claims are
        // still told apart by that index.
        await _uidClaims.WaitAsync(cancellationToken);
        try
        {
            return await ClaimUserIdAsync(slot, cancellationToken);
        }
        finally
        {
            _uidClaims.Release();
        }
    }

    private async Task<int> ClaimUserIdAsync(EngineSlot slot, CancellationToken cancellationToken)
    {
        for (var attempt = 0; ; attempt++)
        {
            await using var scope = _scopes.CreateAsyncScope();
            var db = scope.ServiceProvider.GetRequiredService<ControlPlaneDbContext>();
            var first = _options.EngineUidStart;
            var end = first + _options.EngineUidCount;
            var used = await db.Engines.Where(e => e.OsUserId >= first && e.OsUserId < end)
                .Select(e => e.OsUserId!.Value).OrderBy(u => u).ToListAsync(cancellationToken);
            var uid = first;
            foreach (var u in used)
            {
                if (u != uid)
                {
                    break;
                }

                uid++;
            }

            if (uid >= end)
            {
                throw new InvalidOperationException(
                    $"Every uid of '{LocalOrchestratorOptions.Section}:EngineUidStart'/'EngineUidCount' ({first}..{end - 1}) is taken; widen the range.");
            }

            try
            {
                var claimed = await db.Engines.Where(e => e.TenantId == slot.TenantId && e.OsUserId == null)
                    .ExecuteUpdateAsync(s => s.SetProperty(e => e.OsUserId, uid), cancellationToken);
                if (claimed == 0)
                {
                    // Another control plane claimed one for this tenant first: use that.
                    slot.UserId = await db.Engines.Where(e => e.TenantId == slot.TenantId).Select(e => e.OsUserId).SingleAsync(cancellationToken);
                    return slot.UserId ?? throw new InvalidOperationException($"Tenant '{slot.TenantId}' has no engine record.");
                }

                slot.UserId = uid;
                return uid;
            }
            catch (Exception e) when (attempt < 10 && (e as PostgresException ?? e.InnerException as PostgresException)?.SqlState == PostgresErrorCodes.UniqueViolation)
            {
                // Taken by another tenant in the meantime: look again.
            }
        }
    }

    private async Task AnnounceRouteAsync(ControlPlaneDbContext db, string tenantId, CancellationToken cancellationToken)
    {
        db.ChangeEvents.Add(new ChangeEvent { Kind = Contracts.Admin.ChangeKinds.Route, Subject = tenantId, Time = _time.GetUtcNow() });
        await db.SaveChangesAsync(cancellationToken);
    }

    private async Task DeleteRecordAsync(string tenantId, CancellationToken cancellationToken)
    {
        await using var scope = _scopes.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<ControlPlaneDbContext>();
        await db.Engines.Where(e => e.TenantId == tenantId).ExecuteDeleteAsync(cancellationToken);
        await AnnounceRouteAsync(db, tenantId, cancellationToken);
    }
}
