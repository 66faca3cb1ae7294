using Microsoft.EntityFrameworkCore;
using Piramid.Contracts.Backups;

namespace Piramid.ControlPlane.Backups;

/// <summary>
/// Settings at the target (docs/design/backups.md, "Settings versions"): a collection restored to a time gets the
/// settings file in force then, the newest archived version written at or before the target, instead of the base's or
/// origin's copy (a PATCH after those would otherwise be lost, as it is not in the log).
/// </summary>
public sealed partial class RestoreHandler
{
    private async Task<List<(string Key, string Path, long Size, string Sha256)>> WithSettingsInForceAsync(
        string tenantId, List<(string Key, string Path, long Size, string Sha256)> files, List<SnapshotCollection> collections, DateTimeOffset at, CancellationToken ct)
    {
        var ids = collections.Select(c => c.CollectionId).ToList();
        var inForce = (await db.WalArchiveSettings.AsNoTracking()
                .Where(v => v.TenantId == tenantId && ids.Contains(v.CollectionId) && v.WrittenAt <= at).ToListAsync(ct))
            .GroupBy(v => v.CollectionId, StringComparer.Ordinal)
            .ToDictionary(g => $"collections/{g.Key}/{BackupObjects.OriginSettingsName}", g => g.MaxBy(v => v.WrittenAt)!, StringComparer.Ordinal);
        return [.. files.Select(f => inForce.TryGetValue(f.Path, out var v)
            ? (BackupObjects.Settings(tenantId, v.CollectionId, v.Sha256), f.Path, v.Size, v.Sha256)
            : f)];
    }
}
