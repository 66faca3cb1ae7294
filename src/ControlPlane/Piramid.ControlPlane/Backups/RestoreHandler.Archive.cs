using Microsoft.EntityFrameworkCore;
using Piramid.Contracts.Backups;
using Piramid.ControlPlane.Data.Entities;

namespace Piramid.ControlPlane.Backups;

/// <summary>
/// What a restore to a time takes from the archive's record of collections (docs/design/backups.md, "Collections in
/// the archive"): the base backup's collections that still existed at the target, plus the collections no backup holds
/// that existed then, rebuilt from their archived origin and log; and after an apply, the restored collections' new ids.
/// </summary>
public sealed partial class RestoreHandler
{
    /// <summary>The collections that existed at <paramref name="at"/>: from the base, and from archived origins; one per name.</summary>
    private async Task<(List<SnapshotCollection> FromBase, List<WalArchiveCollection> FromArchive)> ExistingAtAsync(
        string tenantId, BackupManifest manifest, List<SnapshotCollection> chosen, IReadOnlyList<string>? names, DateTimeOffset at, CancellationToken ct)
    {
        var rows = await db.WalArchiveCollections.AsNoTracking().Where(c => c.TenantId == tenantId).ToListAsync(ct);
        var byId = rows.ToDictionary(r => r.CollectionId, StringComparer.Ordinal);
        var inBase = manifest.Collections.Select(c => c.CollectionId).ToHashSet(StringComparer.Ordinal);
        var fromBase = chosen.Where(c => !(byId.TryGetValue(c.CollectionId, out var r) && r.DroppedAt <= at))
            .Select(c => (c.Name, From: byId.TryGetValue(c.CollectionId, out var r) ? r.ExistsFrom : DateTimeOffset.MinValue, Base: (SnapshotCollection?)c, Archived: (WalArchiveCollection?)null));
        var fromArchive = rows
            .Where(r => !inBase.Contains(r.CollectionId) && r.ManifestSha256 is not null && r.ExistsFrom <= at && !(r.DroppedAt <= at))
            .Where(r => names is null || names.Contains(r.Collection))
            .Select(r => (Name: r.Collection, From: r.ExistsFrom, Base: (SnapshotCollection?)null, Archived: (WalArchiveCollection?)r));

        // A name held by two ids at once means a drop went unrecorded: the one that came into being last is the live one.
        var picked = fromBase.Concat(fromArchive).GroupBy(c => c.Name, StringComparer.Ordinal).Select(g => g.MaxBy(c => c.From)).ToList();
        return ([.. picked.Where(p => p.Base is not null).Select(p => p.Base!)], [.. picked.Where(p => p.Archived is not null).Select(p => p.Archived!)]);
    }

    /// <summary>The staged files of a collection rebuilt from the archive: its settings, its starting checkpoint when its log needs one.</summary>
    private async Task<(List<(string Key, string Path, long Size, string Sha256)> Files, SnapshotCollection Image)> OriginFilesAsync(
        string tenantId, WalArchiveCollection row, DateTimeOffset at, CancellationToken ct)
    {
        var prefix = $"collections/{row.CollectionId}/";
        var files = new List<(string Key, string Path, long Size, string Sha256)>
        {
            (BackupObjects.Origin(tenantId, row.CollectionId, "manifest.bin"), prefix + "manifest.bin", row.ManifestSize, row.ManifestSha256!),
        };

        // A checkpoint may hold records appended after the target; the log from LSN 1, when archived, never does. A target
        // before the checkpoint was copied is refused (RestoreService already did; checked again for what it picked here).
        await OriginCoverage.EnsureReachesAsync(db, tenantId, [row], at, ct);
        var lsn = 0L;
        if (row.CheckpointFile is { } checkpoint && await OriginCoverage.NeedsCheckpointAsync(db, tenantId, row, ct))
        {
            files.Add((BackupObjects.Origin(tenantId, row.CollectionId, checkpoint), prefix + "checkpoints/" + checkpoint, row.CheckpointSize, row.CheckpointSha256!));
            lsn = row.OriginLsn;
        }

        return (files, new SnapshotCollection(row.Collection, row.CollectionId, lsn, []));
    }

    /// <summary>
    /// After an apply: a restored collection has a new id that exists from the switch, not from its original's creation;
    /// its origin (the checkpoint the restore wrote) is archived now, so a later restore to a time after it reaches it.
    /// </summary>
    private async Task RecordRestoredAsync(string tenantId, RestoreApplyResult result, DateTimeOffset applyStarted, CancellationToken ct)
    {
        var windowed = await db.Tenants.AsNoTracking().AnyAsync(t => t.Id == tenantId && t.Plan!.PitrWindowHours > 0, ct);
        if (!windowed)
        {
            return;
        }

        try
        {
            await archiver.ArchiveTenantAsync(tenantId, ct);
            var status = await engine.ArchiveStatusAsync(tenantId, ct);
            var now = time.GetUtcNow();
            foreach (var restored in result.Collections)
            {
                var id = status.Collections.FirstOrDefault(c => c.Collection == restored.Name)?.CollectionId;
                var row = id is null ? null : await db.WalArchiveCollections.SingleOrDefaultAsync(c => c.TenantId == tenantId && c.CollectionId == id, ct);
                if (row is not null)
                {
                    // In place: the replaced collection's drop is the switch's time; beside: the apply's end.
                    row.ExistsFrom = status.Dropped.Where(d => d.Collection == restored.Name && d.DroppedAt >= applyStarted)
                        .Select(d => d.DroppedAt).DefaultIfEmpty(now).Max();
                }
            }

            await db.SaveChangesAsync(ct);
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            // The restore is applied; the archiver records the new ids at its next pass (from their original's creation time).
            RecordRestoredFailed(logger, tenantId, e);
        }
    }

    [LoggerMessage(EventId = 5403, Level = LogLevel.Warning, Message = "Recording the restored collections of tenant {Tenant} in the log archive failed; the archiver's next pass records them")]
    private static partial void RecordRestoredFailed(ILogger logger, string tenant, Exception exception);
}
