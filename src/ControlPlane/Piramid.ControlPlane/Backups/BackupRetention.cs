using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using Piramid.Backups.Stores;
using Piramid.Contracts.Backups;
using Piramid.Contracts.Json;
using Piramid.ControlPlane.Data;
using Piramid.ControlPlane.Data.Entities;
using Piramid.ControlPlane.Operations;

namespace Piramid.ControlPlane.Backups;

/// <summary>
/// Removes what a tenant's plan no longer keeps, and nothing else:
/// <list type="bullet">
/// <item>backups completed more than <c>backup_retention_days</c> ago, except the base of the recovery window (the
/// newest completed backup at or before its start), which a point-in-time restore to the window's first instant needs;</item>
/// <item>failed backups' leftovers and rows after the same time;</item>
/// <item>archived segments of a collection whose records all lie at or below that collection's LSN in the oldest backup
/// kept (replay starts after it), or, without a recovery window, every segment;</item>
/// <item>archived segments of a collection that was gone before the window began and that no kept backup holds;</item>
/// <item>archived origins (a collection's settings file and starting checkpoint) of collections that existed at no instant
/// of the window (dropped at or before its start), or, without a recovery window, every origin: only a restore to a
/// time reads them, and a backup holds its own copy of every file it needs.</item>
/// </list>
/// Objects are deleted before their rows, so a crash in between leaves rows that the next round deletes again.
/// </summary>
public sealed partial class BackupRetention(ControlPlaneDbContext db, IBackupStore store, TimeProvider time, ILogger<BackupRetention> logger)
{
    /// <summary>Applies every active tenant's retention; returns the backups, segments and collection origins removed.</summary>
    public async Task<(int Backups, int Segments, int Origins)> RunAsync(CancellationToken ct)
    {
        var tenants = await db.Tenants.AsNoTracking().Include(t => t.Plan).Where(t => t.Status != TenantStatus.Deleted).ToListAsync(ct);
        var (backups, segments, origins) = (0, 0, 0);
        foreach (var tenant in tenants)
        {
            var (b, s, o) = await RunAsync(tenant.Id, tenant.Plan!, ct);
            backups += b;
            segments += s;
            origins += o;
        }

        return (backups, segments, origins);
    }

    /// <summary>One tenant's retention under <paramref name="plan"/>.</summary>
    public async Task<(int Backups, int Segments, int Origins)> RunAsync(string tenantId, Plan plan, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(plan);
        var now = time.GetUtcNow();
        var expiry = now - TimeSpan.FromDays(plan.BackupRetentionDays);
        var windowStart = now - TimeSpan.FromHours(plan.PitrWindowHours);
        var all = await (from b in db.Backups.AsNoTracking().Where(b => b.TenantId == tenantId)
                         join o in db.Operations on b.OperationId equals o.Id into ops
                         from o in ops.DefaultIfEmpty()
                         select new { Backup = b, OperationState = o == null ? null : o.State }).ToListAsync(ct);
        var completed = all.Where(x => x.Backup.State == BackupStates.Completed).Select(x => x.Backup).OrderByDescending(b => b.SnapshotAt).ToList();
        var windowBase = plan.PitrWindowHours > 0 ? completed.FirstOrDefault(b => b.SnapshotAt <= windowStart) : null;
        var expired = all.Where(x => x.Backup.CreatedAt < expiry && x.Backup != windowBase
                && (x.Backup.State == BackupStates.Completed || x.OperationState is OperationStates.Failed or OperationStates.Succeeded or null))
            .Select(x => x.Backup).ToList();
        foreach (var backup in expired)
        {
            await store.DeletePrefixAsync(BackupObjects.BackupPrefix(tenantId, backup.Id), ct);
            await db.Backups.Where(b => b.Id == backup.Id).ExecuteDeleteAsync(ct);
        }

        var kept = completed.Where(b => !expired.Contains(b)).ToList();
        var segments = await db.WalArchive.AsNoTracking().Where(s => s.TenantId == tenantId).ToListAsync(ct);
        var floor = ReplayFloors(kept);
        var collections = await db.WalArchiveCollections.Where(c => c.TenantId == tenantId).ToListAsync(ct);
        // Collections that existed at no instant of the window (every one without a window).
        var outsideWindow = collections.Where(c => plan.PitrWindowHours <= 0 || c.DroppedAt <= windowStart).ToList();
        var unheld = outsideWindow.Select(c => c.CollectionId).Where(id => !floor.ContainsKey(id)).ToHashSet(StringComparer.Ordinal);
        var unneeded = segments.Where(s => plan.PitrWindowHours <= 0
            || (floor.TryGetValue(s.CollectionId, out var lsn) && s.LastLsn <= lsn && s.LastTime < windowStart)
            || unheld.Contains(s.CollectionId)).ToList();
        foreach (var segment in unneeded)
        {
            await store.DeleteAsync(BackupObjects.Segment(tenantId, segment.CollectionId, segment.File), ct);
            await db.WalArchive.Where(s => s.TenantId == tenantId && s.CollectionId == segment.CollectionId && s.File == segment.File).ExecuteDeleteAsync(ct);
        }

        var origins = outsideWindow.Where(c => c.ManifestSha256 is not null).ToList();
        foreach (var origin in origins)
        {
            await RemoveOriginAsync(tenantId, origin, ct);
        }

        if (expired.Count + unneeded.Count + origins.Count > 0)
        {
            Removed(logger, tenantId, expired.Count, unneeded.Count, origins.Count);
        }

        return (expired.Count, unneeded.Count, origins.Count);
    }

    // The row stays: its drop time keeps a kept backup's copy of the collection out of restores to later times. With the
    // origin cleared, the archiver archives a new one should the collection live on under a plan that gains a window.
    private async Task RemoveOriginAsync(string tenantId, WalArchiveCollection origin, CancellationToken ct)
    {
        await store.DeleteAsync(BackupObjects.Origin(tenantId, origin.CollectionId, BackupObjects.OriginSettingsName), ct);
        if (origin.CheckpointFile is { } checkpoint)
        {
            await store.DeleteAsync(BackupObjects.Origin(tenantId, origin.CollectionId, checkpoint), ct);
        }

        var versions = await db.WalArchiveSettings.Where(v => v.TenantId == tenantId && v.CollectionId == origin.CollectionId).ToListAsync(ct);
        foreach (var version in versions)
        {
            await store.DeleteAsync(BackupObjects.Settings(tenantId, origin.CollectionId, version.Sha256), ct);
        }

        db.WalArchiveSettings.RemoveRange(versions);
        origin.ManifestSha256 = null;
        origin.OriginAt = null;
        origin.ManifestSize = 0;
        origin.CheckpointFile = null;
        origin.CheckpointSha256 = null;
        origin.CheckpointSize = 0;
        origin.OriginLsn = 0;
        await db.SaveChangesAsync(ct);
    }

    /// <summary>Per collection id, the lowest LSN a kept backup holds it at: replay never needs a record at or below it.</summary>
    private static Dictionary<string, long> ReplayFloors(List<Backup> kept)
    {
        var floors = new Dictionary<string, long>(StringComparer.Ordinal);
        foreach (var backup in kept)
        {
            foreach (var c in JsonSerializer.Deserialize<List<BackupCollection>>(backup.Collections ?? "[]", WireJson.Options) ?? [])
            {
                if (c.CollectionId is { } id && c.Lsn is { } lsn)
                {
                    floors[id] = floors.TryGetValue(id, out var f) ? Math.Min(f, lsn) : lsn;
                }
            }
        }

        return floors;
    }

    [LoggerMessage(EventId = 5501, Level = LogLevel.Information, Message = "Retention of tenant {Tenant} removed {Backups} backups, {Segments} archived segments and {Origins} archived collection origins")]
    private static partial void Removed(ILogger logger, string tenant, int backups, int segments, int origins);
}
