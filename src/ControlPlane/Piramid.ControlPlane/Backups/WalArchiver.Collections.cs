using Microsoft.EntityFrameworkCore;
using Piramid.Contracts.Backups;
using Piramid.ControlPlane.Data;
using Piramid.ControlPlane.Data.Entities;

namespace Piramid.ControlPlane.Backups;

/// <summary>
/// The archive's record of collection lifetimes (docs/design/backups.md, "Collections in the archive"): every collection
/// id gets its origin archived once (its settings file and its starting checkpoint, from a one-collection snapshot), and
/// the time it was deleted or replaced by a restore, so a point-in-time restore knows which collections existed at its
/// target and can rebuild those no backup holds.
/// </summary>
public sealed partial class WalArchiver
{
    private async Task RecordCollectionsAsync(ControlPlaneDbContext db, string tenantId, WalArchiveStatus status, CancellationToken ct)
    {
        var rows = await db.WalArchiveCollections.Where(c => c.TenantId == tenantId).ToDictionaryAsync(c => c.CollectionId, StringComparer.Ordinal, ct);
        foreach (var dropped in status.Dropped)
        {
            if (!rows.TryGetValue(dropped.CollectionId, out var row))
            {
                // Dropped before its origin was archived: a backup may still hold it, so its end matters.
                row = db.WalArchiveCollections.Add(new WalArchiveCollection
                {
                    TenantId = tenantId,
                    CollectionId = dropped.CollectionId,
                    Collection = dropped.Collection,
                    ExistsFrom = dropped.DroppedAt,
                }).Entity;
                rows[row.CollectionId] = row;
            }

            row.DroppedAt ??= dropped.DroppedAt;
        }

        var live = status.Collections.Select(c => c.CollectionId).ToHashSet(StringComparer.Ordinal);
        foreach (var row in rows.Values.Where(r => r.DroppedAt is null && !live.Contains(r.CollectionId)))
        {
            // Gone, but the engine no longer remembers when (it restarted): the time it was noticed.
            row.DroppedAt = time.GetUtcNow();
        }

        await db.SaveChangesAsync(ct);
        foreach (var collection in status.Collections)
        {
            if (!rows.TryGetValue(collection.CollectionId, out var row))
            {
                row = db.WalArchiveCollections.Add(new WalArchiveCollection
                {
                    TenantId = tenantId,
                    CollectionId = collection.CollectionId,
                    Collection = collection.Collection,
                    ExistsFrom = collection.CreatedAt,
                }).Entity;
                rows[row.CollectionId] = row;
            }

            // One collection's failure (a store refusing its key, a snapshot that fails) must not stop the others, nor the
            // segment pass after this: unarchived segments are pruned after the window, which would leave holes.
            try
            {
                if (row.ManifestSha256 is null)
                {
                    await ArchiveOriginAsync(db, tenantId, row, ct);
                }
                else if (collection.SettingsSha256 is { } sha && collection.SettingsWrittenAt is { } writtenAt)
                {
                    await ArchiveSettingsIfChangedAsync(db, tenantId, row, sha, writtenAt, ct);
                }
            }
            catch (Exception e) when (e is not OperationCanceledException || !ct.IsCancellationRequested)
            {
                // The row stays without its origin (or new version), whose fields are set only once copied: the next pass retries.
                OriginFailed(logger, tenantId, row.Collection, row.CollectionId, e);
            }
        }
    }

    // A one-collection snapshot gives the settings file and the checkpoint its log continues from; its segments are
    // sealed by the snapshot and archived by the segment pass that follows.
    private async Task ArchiveOriginAsync(ControlPlaneDbContext db, string tenantId, WalArchiveCollection row, CancellationToken ct)
    {
        var snapshot = await engine.CreateSnapshotAsync(tenantId, [row.Collection], ct);
        try
        {
            var image = snapshot.Collections.SingleOrDefault(c => c.CollectionId == row.CollectionId);
            if (image is null)
            {
                return; // the name now belongs to another id: the next pass sees the drop
            }

            var prefix = $"collections/{row.CollectionId}/";
            var manifest = image.Files.Single(f => f.Path == prefix + "manifest.bin");
            var checkpoint = image.Files.Where(f => f.Path.StartsWith(prefix + "checkpoints/", StringComparison.Ordinal)).OrderBy(f => f.Path, StringComparer.Ordinal).LastOrDefault();
            await CopyOriginAsync(tenantId, snapshot.SnapshotId, row.CollectionId, manifest, ct);
            if (checkpoint is not null)
            {
                await CopyOriginAsync(tenantId, snapshot.SnapshotId, row.CollectionId, checkpoint, ct);
                row.CheckpointFile = Path.GetFileName(checkpoint.Path);
                row.CheckpointSha256 = checkpoint.Sha256;
                row.CheckpointSize = checkpoint.Size;
                row.OriginLsn = CheckpointLsn(row.CheckpointFile);
            }

            row.ManifestSha256 = manifest.Sha256;
            row.ManifestSize = manifest.Size;
            row.OriginAt = snapshot.CreatedAt;
            await db.SaveChangesAsync(ct);
        }
        finally
        {
            await engine.ReleaseSnapshotAsync(tenantId, snapshot.SnapshotId, CancellationToken.None);
        }
    }

    private Task CopyOriginAsync(string tenantId, string snapshotId, string collectionId, SnapshotFile file, CancellationToken ct) =>
        CopyToStoreAsync(tenantId, snapshotId, file, BackupObjects.Origin(tenantId, collectionId, Path.GetFileName(file.Path)), ct);

    private async Task CopyToStoreAsync(string tenantId, string snapshotId, SnapshotFile file, string key, CancellationToken ct)
    {
        using var response = await engine.OpenSnapshotFileAsync(tenantId, snapshotId, file.Path, ct);
        await using var content = new EngineBodyStream(await response.Content.ReadAsStreamAsync(ct), tenantId, $"'{file.Path}' of the log archive");
        await store.PutAsync(key, content, file.Size, file.Sha256, null, ct);
    }

    [LoggerMessage(EventId = 5302, Level = LogLevel.Warning, Message = "Archiving the origin or settings of collection {Collection} ({CollectionId}) of tenant {Tenant} failed; the segment pass goes on and the next pass retries")]
    private static partial void OriginFailed(ILogger logger, string tenant, string collection, string collectionId, Exception exception);

    // checkpoint-<20 digits>.ckpt (BackupPaths in the engine).
    private static long CheckpointLsn(string file) =>
        long.Parse(file.AsSpan("checkpoint-".Length, 20), System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture);
}
