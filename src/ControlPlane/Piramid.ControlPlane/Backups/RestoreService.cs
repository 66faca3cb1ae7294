using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using Piramid.Contracts.Backups;
using Piramid.Contracts.Json;
using Piramid.Contracts.Names;
using Piramid.Contracts.Operations;
using Piramid.Contracts.Problems;
using Piramid.ControlPlane.Auditing;
using Piramid.ControlPlane.Data;
using Piramid.ControlPlane.Data.Entities;
using Piramid.ControlPlane.Operations;
using Piramid.ServiceDefaults;

namespace Piramid.ControlPlane.Backups;

/// <summary>
/// Checks a restore request and creates its operation: the target must be a completed backup, or a time or LSN inside
/// the plan's recovery window with a completed backup before it; every refusal is a 400 (404 for a missing backup)
/// naming why, before anything runs.
/// </summary>
public sealed class RestoreService(ControlPlaneDbContext db, OperationQueue operations, AuditTrail audit, TimeProvider time)
{
    /// <summary>Validates <paramref name="request"/>, picks the backup to start from, and creates the operation.</summary>
    public async Task<OperationInfo> CreateAsync(string tenantId, RestoreRequest request, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(request);
        var targets = (request.BackupId is null ? 0 : 1) + (request.At is null ? 0 : 1) + (request.Lsn is null ? 0 : 1);
        if (targets != 1)
        {
            throw Invalid("Give exactly one of 'backup_id' (a backup as taken), 'at' (an RFC 3339 time) or 'lsn' (a position in one collection's log).");
        }

        var collections = BackupService.ValidCollections(request.Collections, "collections");
        var rename = ValidRename(request.Rename, collections);
        var tenant = await db.Tenants.AsNoTracking().Include(t => t.Plan).SingleOrDefaultAsync(t => t.Id == tenantId && t.Status != TenantStatus.Deleted, ct)
            ?? throw new ProblemException(ProblemCatalog.NotFound, $"Tenant '{tenantId}' does not exist.");
        if (tenant.Status != TenantStatus.Active)
        {
            throw new ProblemException(ProblemCatalog.Conflict, $"Tenant '{tenantId}' is {tenant.Status.ToString().ToLowerInvariant()}: its engine does not run; resume it first.");
        }

        var completed = await db.Backups.AsNoTracking()
            .Where(b => b.TenantId == tenantId && b.State == BackupStates.Completed)
            .OrderByDescending(b => b.SnapshotAt).ToListAsync(ct);
        Backup base_;
        if (request.BackupId is { } backupId)
        {
            base_ = completed.SingleOrDefault(b => b.Id == backupId)
                ?? (await db.Backups.AnyAsync(b => b.Id == backupId && b.TenantId == tenantId, ct)
                    ? throw Invalid($"'backup_id' names backup '{backupId}', which is not completed; only a completed backup can be restored.")
                    : throw new ProblemException(ProblemCatalog.NotFound, $"'backup_id' names backup '{backupId}', which does not exist."));
        }
        else
        {
            base_ = PointInTimeBase(tenant.Plan!, completed, request.At, request.Lsn, collections);
        }

        var held = Names(base_);
        List<WalArchiveCollection> archived = [];
        if (request.At is { } at)
        {
            // Collections no backup holds that existed at the target are rebuilt from the log archive.
            var inBase = BaseCollections(base_).Select(c => c.CollectionId).OfType<string>().ToHashSet(StringComparer.Ordinal);
            archived = await db.WalArchiveCollections.AsNoTracking()
                .Where(c => c.TenantId == tenantId && c.ManifestSha256 != null && c.ExistsFrom <= at && (c.DroppedAt == null || c.DroppedAt > at))
                .ToListAsync(ct);
            archived.RemoveAll(c => inBase.Contains(c.CollectionId));
            held.UnionWith(archived.Select(c => c.Collection));
        }

        if (collections?.FirstOrDefault(c => !held.Contains(c)) is { } missing)
        {
            throw Invalid($"'collections' names '{missing}', which backup '{base_.Id}' does not hold (it holds {(held.Count == 0 ? "none" : string.Join(", ", held))}).");
        }

        if (rename?.Keys.FirstOrDefault(c => !held.Contains(c)) is { } unknown)
        {
            throw Invalid($"'rename' names '{unknown}', which backup '{base_.Id}' does not hold.");
        }

        if (request.At is { } instant)
        {
            await OriginCoverage.EnsureReachesAsync(db, tenantId, archived.Where(c => collections is null || collections.Contains(c.Collection)), instant, ct);
        }

        var input = new RestoreOperationRequest(base_.Id, request.At, request.Lsn, collections, rename);
        var operation = operations.Add(tenantId, OperationKinds.Restore, input);
        audit.Record<object>("backup.restore", "backup", base_.Id, tenantId, null, new { request.At, request.Lsn, collections, rename, operation_id = operation.Id });
        await db.SaveChangesAsync(ct);
        operations.Signal();
        return operation.ToInfo();
    }

    private Backup PointInTimeBase(Plan plan, List<Backup> completed, DateTimeOffset? at, long? lsn, IReadOnlyList<string>? collections)
    {
        if (plan.PitrWindowHours <= 0)
        {
            throw Invalid($"The plan '{plan.Id}' has no point-in-time recovery (its pitr_window_hours is 0); restore a backup by 'backup_id'.");
        }

        var now = time.GetUtcNow();
        var windowStart = now - TimeSpan.FromHours(plan.PitrWindowHours);
        if (at is { } instant)
        {
            if (instant > now)
            {
                throw Invalid($"'at' ({instant:O}) is in the future; the latest time to restore to is now ({now:O}).");
            }

            if (instant < windowStart)
            {
                throw Invalid($"'at' ({instant:O}) is before the recovery window: the plan '{plan.Id}' reaches back {plan.PitrWindowHours} hours, to {windowStart:O}.");
            }

            return completed.FirstOrDefault(b => b.SnapshotAt <= instant)
                ?? throw Invalid($"No completed backup was taken at or before 'at' ({instant:O}); a point in time is restored from the newest backup before it and the log after it.");
        }

        if (collections is not { Count: 1 })
        {
            throw Invalid("'lsn' is a position in one collection's log: name exactly one collection in 'collections'.");
        }

        var name = collections[0];
        if (lsn < 1)
        {
            throw Invalid("'lsn' must be at least 1.");
        }

        // Newest first: the newest backup of the collection at or before the LSN needs the least replay.
        return completed.FirstOrDefault(b => LsnOf(b, name) <= lsn)
            ?? throw Invalid($"No completed backup holds collection '{name}' at or before 'lsn' {lsn}.");
    }

    private static IReadOnlyDictionary<string, string>? ValidRename(IReadOnlyDictionary<string, string>? rename, IReadOnlyList<string>? collections)
    {
        if (rename is null)
        {
            return null;
        }

        if (rename.Count is 0 or > BackupService.MaxCollections)
        {
            throw Invalid($"'rename' must map 1 to {BackupService.MaxCollections} collections to new names, or be left out to restore in place.");
        }

        foreach (var (from, to) in rename)
        {
            if (!NameRules.CollectionName.IsValid(from) || !NameRules.CollectionName.IsValid(to))
            {
                throw Invalid($"'rename' holds an invalid collection name: {NameRules.CollectionName.Description}");
            }

            if (from == to)
            {
                throw Invalid($"'rename' maps '{from}' to itself; leave it out to restore in place.");
            }

            if (collections is not null && !collections.Contains(from))
            {
                throw Invalid($"'rename' names '{from}', which is not among 'collections'.");
            }
        }

        if (rename.Values.Distinct(StringComparer.Ordinal).Count() != rename.Count)
        {
            throw Invalid("'rename' gives two collections the same new name.");
        }

        return rename;
    }

    private static HashSet<string> Names(Backup backup) => [.. BaseCollections(backup).Select(c => c.Name)];

    private static List<BackupCollection> BaseCollections(Backup backup) =>
        JsonSerializer.Deserialize<List<BackupCollection>>(backup.Collections ?? "[]", WireJson.Options) ?? [];

    private static long? LsnOf(Backup backup, string name) =>
        (JsonSerializer.Deserialize<List<BackupCollection>>(backup.Collections ?? "[]", WireJson.Options) ?? []).FirstOrDefault(c => c.Name == name)?.Lsn;

    private static ProblemException Invalid(string detail) => new(ProblemCatalog.InvalidRequest, detail);
}
