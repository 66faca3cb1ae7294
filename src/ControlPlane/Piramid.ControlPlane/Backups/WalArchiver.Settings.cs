using Microsoft.EntityFrameworkCore;
using Piramid.ControlPlane.Data;
using Piramid.ControlPlane.Data.Entities;

namespace Piramid.ControlPlane.Backups;

/// <summary>
/// Settings versions (docs/design/backups.md, "Settings versions"): a PATCH rewrites a collection's <c>manifest.bin</c>
/// and writes nothing to the log, so the archiver compares the engine's SHA-256 of the file with the versions it holds
/// and copies a new one, with the time the engine wrote it, for restores to a time after it.
/// </summary>
public sealed partial class WalArchiver
{
    private async Task ArchiveSettingsIfChangedAsync(
        ControlPlaneDbContext db, string tenantId, WalArchiveCollection row, string sha256, DateTimeOffset writtenAt, CancellationToken ct)
    {
        if (sha256 == row.ManifestSha256
            || await db.WalArchiveSettings.AnyAsync(v => v.TenantId == tenantId && v.CollectionId == row.CollectionId && v.Sha256 == sha256, ct))
        {
            return;
        }

        var snapshot = await engine.CreateSnapshotAsync(tenantId, [row.Collection], ct);
        try
        {
            var path = $"collections/{row.CollectionId}/{BackupObjects.OriginSettingsName}";
            var manifest = snapshot.Collections.SingleOrDefault(c => c.CollectionId == row.CollectionId)?.Files.SingleOrDefault(f => f.Path == path);
            if (manifest is null || manifest.Sha256 != sha256)
            {
                return; // changed again, or the name moved to another id, since the status: the next pass sees which
            }

            await CopyToStoreAsync(tenantId, snapshot.SnapshotId, manifest, BackupObjects.Settings(tenantId, row.CollectionId, sha256), ct);
            db.WalArchiveSettings.Add(new WalArchiveSettingsVersion
            {
                TenantId = tenantId,
                CollectionId = row.CollectionId,
                Sha256 = sha256,
                Size = manifest.Size,
                WrittenAt = writtenAt,
            });
            await db.SaveChangesAsync(ct);
        }
        finally
        {
            await engine.ReleaseSnapshotAsync(tenantId, snapshot.SnapshotId, CancellationToken.None);
        }
    }
}
