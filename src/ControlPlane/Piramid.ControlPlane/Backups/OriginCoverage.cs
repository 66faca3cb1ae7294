using System.Globalization;
using Microsoft.EntityFrameworkCore;
using Piramid.Contracts.Problems;
using Piramid.ControlPlane.Data;
using Piramid.ControlPlane.Data.Entities;
using Piramid.ServiceDefaults;

namespace Piramid.ControlPlane.Backups;

/// <summary>
/// How far back the log archive can rebuild a collection no backup holds (docs/design/backups.md, "Collections in the
/// archive"): from its creation when its log from LSN 1 is archived; otherwise only from its archived checkpoint, which
/// holds every record up to its LSN and was copied at <see cref="WalArchiveCollection.OriginAt"/>. A restore to an
/// earlier time would bring back writes made after the target, so it is refused, naming the earliest point.
/// </summary>
internal static class OriginCoverage
{
    /// <summary>True when restoring <paramref name="row"/> stages its checkpoint (its log from LSN 1 is not archived).</summary>
    public static async Task<bool> NeedsCheckpointAsync(ControlPlaneDbContext db, string tenantId, WalArchiveCollection row, CancellationToken ct) =>
        row.CheckpointFile is not null
        && !await db.WalArchive.AsNoTracking().AnyAsync(s => s.TenantId == tenantId && s.CollectionId == row.CollectionId && s.FirstLsn == 1, ct);

    /// <summary>Throws a 400 naming 'at' and the earliest restorable time when one of <paramref name="rows"/> cannot be rebuilt as it was at <paramref name="at"/>.</summary>
    public static async Task EnsureReachesAsync(ControlPlaneDbContext db, string tenantId, IEnumerable<WalArchiveCollection> rows, DateTimeOffset at, CancellationToken ct)
    {
        foreach (var row in rows)
        {
            // A row without a copy time predates the column; the migration set it to the migration's time, so null is never seen.
            var earliest = row.OriginAt ?? DateTimeOffset.MaxValue;
            if (earliest > at && await NeedsCheckpointAsync(db, tenantId, row, ct))
            {
                throw new ProblemException(ProblemCatalog.InvalidRequest, string.Create(CultureInfo.InvariantCulture,
                    $"'at' ({at:O}) is before collection '{row.Collection}' can be restored to: no backup holds it, and its log is archived only from its checkpoint at LSN {row.OriginLsn}, copied at {earliest:O}, which may hold writes made after 'at'. The earliest restorable point for '{row.Collection}' is {earliest:O}; choose a later 'at', leave '{row.Collection}' out of 'collections', or restore a backup that holds it."));
            }
        }
    }
}
