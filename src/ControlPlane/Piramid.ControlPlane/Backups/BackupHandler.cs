using System.Security.Cryptography;
using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using Piramid.Backups.Stores;
using Piramid.Contracts.Backups;
using Piramid.Contracts.Json;
using Piramid.Contracts.Problems;
using Piramid.ControlPlane.Data;
using Piramid.ControlPlane.Operations;
using Piramid.ServiceDefaults;

namespace Piramid.ControlPlane.Backups;

/// <summary>
/// Makes one backup: asks the engine for a snapshot, streams each file from the engine into the store (the store
/// refuses bytes whose SHA-256 is not the one the engine's manifest declared, so the hash is checked end to end),
/// writes <c>manifest.json</c> last, records the result and releases the snapshot. A failure removes what was
/// stored: without its manifest it was never a backup.
/// </summary>
public sealed partial class BackupHandler(
    ControlPlaneDbContext db, EngineBackupClient engine, IBackupStore store, TimeProvider time, ILogger<BackupHandler> logger) : IOperationHandler
{
    /// <inheritdoc />
    public string Kind => OperationKinds.Backup;

    /// <inheritdoc />
    public async Task RunAsync(OperationContext context, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(context);
        var request = context.Request.Deserialize<BackupOperationRequest>(WireJson.Options)!;
        var backup = await db.Backups.SingleAsync(b => b.Id == request.BackupId, cancellationToken);
        backup.State = BackupStates.Running;
        await db.SaveChangesAsync(cancellationToken);
        var requested = backup.RequestedCollections is null ? null : JsonSerializer.Deserialize<List<string>>(backup.RequestedCollections, WireJson.Options);

        SnapshotManifest? snapshot = null;
        try
        {
            snapshot = await engine.CreateSnapshotAsync(backup.TenantId, requested, cancellationToken);
            var files = snapshot.Files.Concat(snapshot.Collections.SelectMany(c => c.Files)).ToList();
            var total = Math.Max(1, files.Sum(f => f.Size));
            long done = 0;
            foreach (var file in files)
            {
                await CopyAsync(context, backup.TenantId, backup.Id, snapshot.SnapshotId, file, done, total, cancellationToken);
                done += file.Size;
                context.Report(95.0 * done / total, done, 0);
            }

            var manifest = new BackupManifest(1, backup.Id, backup.TenantId, snapshot.SnapshotId, snapshot.CreatedAt, snapshot.Collections, snapshot.Files);
            var bytes = JsonSerializer.SerializeToUtf8Bytes(manifest, WireJson.Options);
            var sha = Convert.ToHexStringLower(SHA256.HashData(bytes));
            using (var content = new MemoryStream(bytes, writable: false))
            {
                await store.PutAsync(BackupObjects.Manifest(backup.TenantId, backup.Id), content, bytes.Length, sha, null, cancellationToken);
            }

            await CompleteAsync(context, backup, snapshot, sha, done + bytes.Length);
            context.Report(100, backup.SizeBytes, 0);
            context.Result = backup.ToInfo(null);
            Completed(logger, backup.Id, backup.TenantId, backup.SizeBytes, files.Count);
        }
        catch (Exception e)
        {
            await FailAsync(backup, e);
            throw Translate(e);
        }
        finally
        {
            if (snapshot is not null)
            {
                await ReleaseAsync(backup.TenantId, snapshot.SnapshotId);
            }
        }
    }

    /// <summary>
    /// Marks the backup completed only while it is still running and this run still owns its operation: a control plane
    /// that judged this one dead (stale heartbeat) may have failed the operation and had the janitor delete the objects,
    /// and a completion after that would list a backup whose files are gone. Then the caller discards what it wrote.
    /// </summary>
    private async Task CompleteAsync(OperationContext context, Data.Entities.Backup backup, SnapshotManifest snapshot, string sha, long size)
    {
        var completedAt = time.GetUtcNow();
        var lsn = snapshot.Collections.Count == 0 ? 0 : snapshot.Collections.Max(c => c.Lsn);
        var collections = JsonSerializer.Serialize(
            snapshot.Collections.Select(c => new BackupCollection { Name = c.Name, CollectionId = c.CollectionId, Lsn = c.Lsn, SizeBytes = c.Files.Sum(f => f.Size) }),
            WireJson.Options);
        var updated = await db.Backups
            .Where(b => b.Id == backup.Id && b.State == BackupStates.Running
                && db.Operations.Any(o => o.Id == b.OperationId && o.State == OperationStates.Running && o.Owner == context.Owner))
            .ExecuteUpdateAsync(
                s => s.SetProperty(b => b.State, BackupStates.Completed).SetProperty(b => b.Sha256, sha).SetProperty(b => b.SizeBytes, size)
                    .SetProperty(b => b.SnapshotAt, snapshot.CreatedAt).SetProperty(b => b.CompletedAt, completedAt)
                    .SetProperty(b => b.Lsn, lsn).SetProperty(b => b.Collections, collections),
                CancellationToken.None);
        if (updated == 0)
        {
            throw new ProblemException(ProblemCatalog.Conflict,
                $"Backup '{backup.Id}' was given up while it ran (another control plane found its heartbeat stale and failed it); what this run stored is discarded.");
        }

        // Written above, conditionally: the entity only carries the result now (marking it unchanged would revert it).
        db.Entry(backup).State = EntityState.Detached;
        backup.State = BackupStates.Completed;
        backup.Sha256 = sha;
        backup.SizeBytes = size;
        backup.SnapshotAt = snapshot.CreatedAt;
        backup.CompletedAt = completedAt;
        backup.Lsn = lsn;
        backup.Collections = collections;
    }

    private async Task CopyAsync(
        OperationContext context, string tenantId, string backupId, string snapshotId, SnapshotFile file, long before, long total, CancellationToken ct)
    {
        using var response = await engine.OpenSnapshotFileAsync(tenantId, snapshotId, file.Path, ct);
        await using var content = new EngineBodyStream(await response.Content.ReadAsStreamAsync(ct), tenantId, $"'{file.Path}' of the backup");
        var progress = new Progress(context, before, total);
        await store.PutAsync(BackupObjects.File(tenantId, backupId, file.Path), content, file.Size, file.Sha256, progress, ct);
    }

    private async Task FailAsync(Data.Entities.Backup backup, Exception cause)
    {
        BackupFailed(logger, backup.Id, backup.TenantId, cause);
        try
        {
            await store.DeletePrefixAsync(BackupObjects.BackupPrefix(backup.TenantId, backup.Id), CancellationToken.None);
            backup.State = BackupStates.Failed;
            await db.SaveChangesAsync(CancellationToken.None);
        }
        catch (Exception e)
        {
            // Retention removes a failed backup's leftovers later; the operation fails either way.
            CleanupFailed(logger, backup.Id, e);
        }
    }

    private async Task ReleaseAsync(string tenantId, string snapshotId)
    {
        try
        {
            await engine.ReleaseSnapshotAsync(tenantId, snapshotId, CancellationToken.None);
        }
        catch (Exception e) when (e is ProblemException or HttpRequestException)
        {
            // The engine releases it by itself after Engine:SnapshotLifetime.
            ReleaseFailed(logger, snapshotId, e);
        }
    }

    /// <summary>The problem a failed backup reports: a store's corruption names the object; others pass as they are.</summary>
    internal static Exception Translate(Exception e) => e switch
    {
        ProblemException => e,
        BackupObjectCorruptedException c => new ProblemException(ProblemCatalog.BackupCorrupted, c.Message, new Dictionary<string, object?> { ["object"] = c.Key }),
        BackupObjectNotFoundException n => new ProblemException(ProblemCatalog.BackupCorrupted, n.Message, new Dictionary<string, object?> { ["object"] = n.Key }),
        _ => e,
    };

    private sealed class Progress(OperationContext context, long before, long total) : IProgress<long>
    {
        public void Report(long value) => context.Report(95.0 * (before + value) / total, before + value, 0);
    }

    [LoggerMessage(EventId = 5201, Level = LogLevel.Information, Message = "Backup {Id} of tenant {Tenant} completed: {Bytes} bytes in {Files} files")]
    private static partial void Completed(ILogger logger, string id, string tenant, long bytes, int files);

    [LoggerMessage(EventId = 5202, Level = LogLevel.Warning, Message = "Backup {Id} of tenant {Tenant} failed")]
    private static partial void BackupFailed(ILogger logger, string id, string tenant, Exception exception);

    [LoggerMessage(EventId = 5203, Level = LogLevel.Warning, Message = "Removing the objects of failed backup {Id} failed; retention retries")]
    private static partial void CleanupFailed(ILogger logger, string id, Exception exception);

    [LoggerMessage(EventId = 5204, Level = LogLevel.Warning, Message = "Releasing snapshot {Snapshot} failed; the engine expires it")]
    private static partial void ReleaseFailed(ILogger logger, string snapshot, Exception exception);
}
