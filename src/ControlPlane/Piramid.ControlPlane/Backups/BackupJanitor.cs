using Microsoft.EntityFrameworkCore;
using Piramid.Backups.Stores;
using Piramid.ControlPlane.Data;
using Piramid.ControlPlane.Operations;

namespace Piramid.ControlPlane.Backups;

/// <summary>
/// Removes what a backup left in the store when its control plane died midway: the operation was failed afterwards
/// (dead owner) but its own cleanup never ran, so its row still says pending or running and its partial objects lie
/// under its prefix. Run at the start of every schedule round, before retention; nothing reads those objects (no
/// manifest), so deleting them is always safe. It also retries discarding the engine staging areas of finished restores
/// that the engine could not be reached for (<see cref="RestoreStaging"/>).
/// </summary>
public sealed partial class BackupJanitor(ControlPlaneDbContext db, IBackupStore store, RestoreStaging staging, ILogger<BackupJanitor> logger)
{
    /// <summary>Deletes the objects of every abandoned backup and marks it failed; returns how many backups.</summary>
    public async Task<int> RunAsync(CancellationToken ct)
    {
        var abandoned = await db.Backups
            .Where(b => b.State != BackupStates.Completed && b.State != BackupStates.Failed
                && db.Operations.Any(o => o.Id == b.OperationId && o.State == OperationStates.Failed))
            .ToListAsync(ct);
        foreach (var backup in abandoned)
        {
            var deleted = await store.DeletePrefixAsync(BackupObjects.BackupPrefix(backup.TenantId, backup.Id), ct);
            backup.State = BackupStates.Failed;
            await db.SaveChangesAsync(ct);
            Removed(logger, backup.Id, backup.TenantId, deleted);
        }

        await staging.SweepAsync(ct);
        return abandoned.Count;
    }

    [LoggerMessage(EventId = 5603, Level = LogLevel.Information, Message = "Removed {Objects} objects of abandoned backup {Backup} of tenant {Tenant}")]
    private static partial void Removed(ILogger logger, string backup, string tenant, int objects);
}
