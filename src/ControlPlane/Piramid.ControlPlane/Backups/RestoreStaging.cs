using Microsoft.EntityFrameworkCore;
using Piramid.ControlPlane.Data;
using Piramid.ControlPlane.Operations;
using Piramid.ControlPlane.Orchestration;
using Piramid.ServiceDefaults;

namespace Piramid.ControlPlane.Backups;

/// <summary>
/// Keeps track of a restore's staging area on the engine (<c>operations.engine_restore_id</c>) until the engine has
/// discarded it: the run records it when it opens it and discards it when it ends, whatever the outcome; when the run
/// died with its control plane, the runner that fails the operation discards it (<see cref="RestoreHandler"/>'s
/// <c>AbandonedAsync</c>), and every schedule round retries those the engine could not be reached for
/// (<see cref="BackupJanitor"/>). So a dead restore's copy of the data leaves the engine's disk without an engine restart.
/// </summary>
public sealed partial class RestoreStaging(ControlPlaneDbContext db, EngineBackupClient engine, IEngineOrchestrator engines, ILogger<RestoreStaging> logger)
{
    /// <summary>Records that <paramref name="restoreId"/> belongs to <paramref name="operationId"/>, before anything is staged.</summary>
    public Task RecordAsync(string operationId, string restoreId, CancellationToken ct) =>
        db.Operations.Where(o => o.Id == operationId).ExecuteUpdateAsync(s => s.SetProperty(o => o.EngineRestoreId, restoreId), ct);

    /// <summary>
    /// Asks the engine to discard the staging area and forgets it; true when it is gone (also when the engine no longer
    /// knows it: discarded before, or removed by the engine's start). An unreachable engine keeps the record for a later try.
    /// </summary>
    public async Task<bool> DiscardAsync(string operationId, string tenantId, string restoreId, CancellationToken ct)
    {
        try
        {
            await engine.DiscardRestoreAsync(tenantId, restoreId, ct);
        }
        catch (Exception e) when (e is ProblemException or HttpRequestException || (e is OperationCanceledException && !ct.IsCancellationRequested))
        {
            // A timeout too: after an apply, the restore has succeeded whatever becomes of its leftovers.
            DiscardFailed(logger, restoreId, operationId, e);
            return false;
        }

        await ForgetAsync(operationId, restoreId);
        return true;
    }

    /// <summary>Discards the staging area a finished restore operation still records, if any.</summary>
    public async Task<bool> DiscardLeftOverAsync(string operationId, CancellationToken ct)
    {
        var row = await db.Operations.AsNoTracking().Where(o => o.Id == operationId && o.EngineRestoreId != null
                && (o.State == OperationStates.Failed || o.State == OperationStates.Succeeded))
            .Select(o => new { o.TenantId, o.EngineRestoreId }).SingleOrDefaultAsync(ct);
        return row is not null && await DiscardAsync(operationId, row.TenantId, row.EngineRestoreId!, ct);
    }

    /// <summary>
    /// Retries every finished restore whose staging area was never confirmed discarded; returns how many are now gone.
    /// An engine that is not running (hibernating, suspended, deleted) is not woken for it: the engine removes every
    /// staging area when it starts, and a purged one has none, so the record is simply forgotten.
    /// </summary>
    public async Task<int> SweepAsync(CancellationToken ct)
    {
        using var background = EngineHolds.Background();
        var left = await db.Operations.AsNoTracking()
            .Where(o => o.Kind == OperationKinds.Restore && o.EngineRestoreId != null && (o.State == OperationStates.Failed || o.State == OperationStates.Succeeded))
            .Select(o => new { o.Id, o.TenantId, o.EngineRestoreId }).ToListAsync(ct);
        var discarded = 0;
        foreach (var op in left)
        {
            if (engines.GetRoute(op.TenantId) is null)
            {
                discarded += await ForgetAsync(op.Id, op.EngineRestoreId!) ? 1 : 0;
                continue;
            }

            discarded += await DiscardLeftOverAsync(op.Id, ct) ? 1 : 0;
        }

        return discarded;
    }

    private async Task<bool> ForgetAsync(string operationId, string restoreId) =>
        await db.Operations.Where(o => o.Id == operationId && o.EngineRestoreId == restoreId)
            .ExecuteUpdateAsync(s => s.SetProperty(o => o.EngineRestoreId, (string?)null), CancellationToken.None) > 0;

    [LoggerMessage(EventId = 5404, Level = LogLevel.Warning, Message = "Discarding restore staging area {Restore} of operation {Operation} failed; the next schedule round tries again, and the engine removes it at its next start")]
    private static partial void DiscardFailed(ILogger logger, string restore, string operation, Exception exception);
}
