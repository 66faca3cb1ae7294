using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using Piramid.Backups.Stores;
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

/// <summary>A tenant's backups: ask for one (an operation does the work), list, describe, delete.</summary>
public sealed class BackupService(
    ControlPlaneDbContext db, OperationQueue operations, IBackupStore store, AuditTrail audit, BackupTelemetry telemetry, TimeProvider time)
{
    /// <summary>Most collections one request may name.</summary>
    public const int MaxCollections = 1_000;

    /// <summary>Creates a pending backup and the operation that makes it, in one transaction.</summary>
    public async Task<OperationInfo> CreateAsync(string tenantId, BackupCreateRequest? request, bool scheduled, CancellationToken ct)
    {
        var collections = ValidCollections(request?.Collections, "collections");
        await RequireActiveTenantAsync(tenantId, ct);
        var backupId = OperationQueue.NewId("bk_");
        var operation = operations.Add(tenantId, OperationKinds.Backup, new BackupOperationRequest(backupId));
        var backup = new Backup
        {
            Id = backupId,
            TenantId = tenantId,
            OperationId = operation.Id,
            State = BackupStates.Pending,
            Scheduled = scheduled,
            RequestedCollections = collections is null ? null : JsonSerializer.Serialize(collections, WireJson.Options),
            CreatedAt = time.GetUtcNow(),
        };
        db.Backups.Add(backup);
        audit.Record<object>("backup.create", "backup", backupId, tenantId, null, new { collections, scheduled, operation_id = operation.Id });
        await db.SaveChangesAsync(ct);
        operations.Signal();
        return operation.ToInfo();
    }

    /// <summary>Every backup of the tenant, newest first.</summary>
    public async Task<BackupList> ListAsync(string tenantId, CancellationToken ct)
    {
        await OperationQueue.RequireTenantAsync(db, tenantId, ct);
        var rows = await WithOperationStatesAsync(db.Backups.AsNoTracking().Where(b => b.TenantId == tenantId).OrderByDescending(b => b.CreatedAt), ct);
        return new BackupList { Backups = [.. rows.Select(r => r.Backup.ToInfo(r.OperationState))], Archive = await ArchiveStatusAsync(tenantId, ct) };
    }

    /// <summary>The window from the plan, the lag from the archiver's last pass (in this process), the times from <c>wal_archive</c>.</summary>
    private async Task<BackupArchiveStatus> ArchiveStatusAsync(string tenantId, CancellationToken ct)
    {
        var window = await db.Tenants.AsNoTracking().Where(t => t.Id == tenantId).Select(t => t.Plan!.PitrWindowHours).SingleAsync(ct);
        var archived = await db.WalArchive.AsNoTracking().Where(s => s.TenantId == tenantId)
            .GroupBy(s => s.TenantId).Select(g => new { At = g.Max(s => s.ArchivedAt), Through = g.Max(s => s.LastTime) }).SingleOrDefaultAsync(ct);
        var lag = window > 0 ? telemetry.LagOf(tenantId) : null;
        return new BackupArchiveStatus
        {
            RecoveryWindowHours = window,
            WalArchiveLagSeconds = lag is null ? null : Math.Round(lag.Seconds, 3),
            UnarchivedBytes = lag?.Bytes,
            LastArchivedAt = archived?.At,
            ArchivedThrough = archived?.Through,
            MeasuredAt = lag?.MeasuredAt,
        };
    }

    /// <summary>One backup, or a 404 naming it.</summary>
    public async Task<BackupInfo> GetAsync(string tenantId, string backupId, CancellationToken ct)
    {
        var row = (await WithOperationStatesAsync(db.Backups.AsNoTracking().Where(b => b.Id == backupId && b.TenantId == tenantId), ct)).SingleOrDefault()
            ?? throw NotFound(backupId);
        return row.Backup.ToInfo(row.OperationState);
    }

    /// <summary>The tenant of a backup, or null.</summary>
    public Task<string?> TenantOfAsync(string backupId, CancellationToken ct) =>
        db.Backups.AsNoTracking().Where(b => b.Id == backupId).Select(b => b.TenantId).SingleOrDefaultAsync(ct);

    /// <summary>Deletes a backup's objects, then its row; 409 while its operation still runs.</summary>
    public async Task DeleteAsync(string tenantId, string backupId, CancellationToken ct)
    {
        var row = (await WithOperationStatesAsync(db.Backups.AsNoTracking().Where(b => b.Id == backupId && b.TenantId == tenantId), ct)).SingleOrDefault()
            ?? throw NotFound(backupId);
        if (row.OperationState is OperationStates.Pending or OperationStates.Running)
        {
            throw new ProblemException(ProblemCatalog.Conflict, $"Backup '{backupId}' is still being made (operation {row.Backup.OperationId}); delete it once it finished.");
        }

        // Objects first: a row without objects would be a backup that cannot restore; objects without a row are
        // found again by the next delete (same prefix).
        await store.DeletePrefixAsync(BackupObjects.BackupPrefix(tenantId, backupId), ct);
        var before = row.Backup.ToInfo(row.OperationState);
        await db.Backups.Where(b => b.Id == backupId).ExecuteDeleteAsync(ct);
        audit.Record("backup.delete", "backup", backupId, tenantId, before, null);
        await db.SaveChangesAsync(ct);
    }

    /// <summary>The 404 of a backup that does not exist (or is another tenant's).</summary>
    public static ProblemException NotFound(string backupId) => new(ProblemCatalog.NotFound, $"Backup '{backupId}' does not exist.");

    /// <summary>Distinct valid collection names, or null for "all"; 400 naming the field otherwise.</summary>
    public static IReadOnlyList<string>? ValidCollections(IReadOnlyList<string>? names, string field)
    {
        if (names is null)
        {
            return null;
        }

        if (names.Count is 0 or > MaxCollections)
        {
            throw new ProblemException(ProblemCatalog.InvalidRequest, $"'{field}' must name 1 to {MaxCollections} collections, or be left out for all of them.");
        }

        foreach (var name in names)
        {
            if (name is null || !NameRules.CollectionName.IsValid(name))
            {
                throw new ProblemException(ProblemCatalog.InvalidRequest, $"'{field}' holds an invalid collection name: {NameRules.CollectionName.Description}");
            }
        }

        return [.. names.Distinct(StringComparer.Ordinal)];
    }

    private async Task RequireActiveTenantAsync(string tenantId, CancellationToken ct)
    {
        var status = await db.Tenants.Where(t => t.Id == tenantId && t.Status != TenantStatus.Deleted).Select(t => (TenantStatus?)t.Status).SingleOrDefaultAsync(ct)
            ?? throw new ProblemException(ProblemCatalog.NotFound, $"Tenant '{tenantId}' does not exist.");
        if (status != TenantStatus.Active)
        {
            throw new ProblemException(ProblemCatalog.Conflict, $"Tenant '{tenantId}' is {status.ToString().ToLowerInvariant()}: its engine does not run; resume it first.");
        }
    }

    /// <summary>The backups with the state of the operation of each (null when it is gone).</summary>
    private async Task<List<BackupRow>> WithOperationStatesAsync(IQueryable<Backup> backups, CancellationToken ct)
    {
        var rows = await backups.ToListAsync(ct);
        var ids = rows.Select(b => b.OperationId).ToList();
        var states = await db.Operations.AsNoTracking().Where(o => ids.Contains(o.Id)).ToDictionaryAsync(o => o.Id, o => o.State, ct);
        return [.. rows.Select(b => new BackupRow(b, states.GetValueOrDefault(b.OperationId)))];
    }

    private sealed record BackupRow(Backup Backup, string? OperationState);
}
