using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using Piramid.Backups.Stores;
using Piramid.Contracts.Backups;
using Piramid.Contracts.Json;
using Piramid.Contracts.Problems;
using Piramid.ControlPlane.Data;
using Piramid.ControlPlane.Data.Entities;
using Piramid.ControlPlane.Operations;
using Piramid.ServiceDefaults;

namespace Piramid.ControlPlane.Backups;

/// <summary>
/// Restores a backup, and for a point in time the archived log after it: reads the manifest (checked against the
/// SHA-256 recorded when the backup completed), streams every file and segment from the store (verified while read)
/// into an engine staging area (which verifies again), then asks the engine to apply it, which swaps atomically.
/// Anything that fails before the apply leaves the live data untouched. The staging area is discarded when the run ends,
/// whatever the outcome (after an apply it holds the replaced collections' files), and recorded until then
/// (<see cref="RestoreStaging"/>), so a run that died with its control plane has it discarded when it is failed.
/// </summary>
public sealed partial class RestoreHandler(
    ControlPlaneDbContext db, EngineBackupClient engine, IBackupStore store, WalArchiver archiver, RestoreStaging staging, TimeProvider time, ILogger<RestoreHandler> logger)
    : IOperationHandler
{
    /// <inheritdoc />
    public string Kind => OperationKinds.Restore;

    /// <inheritdoc />
    /// <remarks>
    /// Not resumable: the engine may still be applying the dead run's staging area, and a second run would race it.
    /// The engine switches each collection whole, so the user sees every chosen collection either as it was or restored.
    /// </remarks>
    public string? InterruptedDetail =>
        "The control plane running this restore stopped before it finished. The engine switches each collection whole, never half: "
        + "if it stopped before the switch, nothing changed; if during it, each chosen collection serves either its previous data or the restored data. "
        + "Start the restore again to be sure of the outcome.";

    /// <inheritdoc />
    /// <remarks>The engine waits for an apply of that staging area still under way before it discards it.</remarks>
    public Task AbandonedAsync(string operationId, CancellationToken cancellationToken) => staging.DiscardLeftOverAsync(operationId, cancellationToken);

    /// <inheritdoc />
    public async Task RunAsync(OperationContext context, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(context);
        var request = context.Request.Deserialize<RestoreOperationRequest>(WireJson.Options)!;
        var tenantId = context.TenantId;
        var backup = await db.Backups.AsNoTracking().SingleOrDefaultAsync(b => b.Id == request.BackupId && b.TenantId == tenantId, cancellationToken)
            ?? throw new ProblemException(ProblemCatalog.NotFound, $"Backup '{request.BackupId}' no longer exists.");
        var pointInTime = request.At is not null || request.Lsn is not null;
        if (pointInTime)
        {
            // Seal the live segment (a snapshot does) and archive it, so the log up to now is in the store.
            var seal = await engine.CreateSnapshotAsync(tenantId, request.Collections, cancellationToken);
            await engine.ReleaseSnapshotAsync(tenantId, seal.SnapshotId, cancellationToken);
            await archiver.ArchiveTenantAsync(tenantId, cancellationToken);
        }

        try
        {
            var manifest = await ReadManifestAsync(tenantId, backup, cancellationToken);
            var chosen = manifest.Collections.Where(c => request.Collections is null || request.Collections.Contains(c.Name)).ToList();
            List<WalArchiveCollection> fromArchive = [];
            if (request.At is { } at)
            {
                (chosen, fromArchive) = await ExistingAtAsync(tenantId, manifest, chosen, request.Collections, at, cancellationToken);
            }

            var files = manifest.Files.Select(f => (Key: BackupObjects.File(tenantId, backup.Id, f.Path), f.Path, f.Size, f.Sha256))
                .Concat(chosen.SelectMany(c => c.Files).Select(f => (Key: BackupObjects.File(tenantId, backup.Id, f.Path), f.Path, f.Size, f.Sha256)))
                .ToList();
            var replayed = new List<SnapshotCollection>(chosen);
            foreach (var row in fromArchive)
            {
                var (originFiles, image) = await OriginFilesAsync(tenantId, row, request.At!.Value, cancellationToken);
                files.AddRange(originFiles);
                replayed.Add(image);
            }

            if (pointInTime)
            {
                foreach (var collection in replayed)
                {
                    files.AddRange((await SegmentsAfterAsync(tenantId, collection, request, cancellationToken))
                        .Select(s => (Key: BackupObjects.Segment(tenantId, s.CollectionId, s.File), Path: $"collections/{s.CollectionId}/wal/{s.File}", s.Size, s.Sha256)));
                }
            }

            if (request.At is { } target)
            {
                files = await WithSettingsInForceAsync(tenantId, files, replayed, target, cancellationToken);
            }

            var applyStarted = time.GetUtcNow();
            var result = await StageAndApplyAsync(context, tenantId, files, replayed, request, cancellationToken);
            await RecordRestoredAsync(tenantId, result, applyStarted, cancellationToken);
            context.Result = result;
            Restored(logger, tenantId, backup.Id, result.Collections.Count);
        }
        catch (Exception e) when (Unwrap(e) is BackupObjectCorruptedException or BackupObjectNotFoundException)
        {
            throw BackupHandler.Translate(Unwrap(e)!);
        }
    }

    private async Task<RestoreApplyResult> StageAndApplyAsync(
        OperationContext context, string tenantId, List<(string Key, string Path, long Size, string Sha256)> files,
        List<SnapshotCollection> chosen, RestoreOperationRequest request, CancellationToken ct)
    {
        var restoreId = await engine.CreateRestoreAsync(tenantId, ct);
        try
        {
            await staging.RecordAsync(context.Id, restoreId, ct);
            var total = Math.Max(1, files.Sum(f => f.Size));
            long done = 0;
            foreach (var file in files)
            {
                await using (var content = await store.OpenReadAsync(file.Key, file.Sha256, ct))
                {
                    await engine.PutRestoreFileAsync(tenantId, restoreId, file.Path, content, file.Size, file.Sha256, ct);
                }

                done += file.Size;
                context.Report(90.0 * done / total, done, 0);
            }

            var target = request.At is { } at ? new RestoreTarget { At = at } : request.Lsn is { } lsn ? new RestoreTarget { Lsn = lsn } : null;
            var result = await engine.ApplyRestoreAsync(tenantId, restoreId, new RestoreApplyRequest
            {
                Collections = [.. chosen.Select(c => c.Name)],
                Rename = request.Rename,
                Target = target,
            }, ct);
            context.Report(100, done, result.Collections.Sum(c => c.Points));
            return result;
        }
        finally
        {
            // Not cancellable: a stopping control plane still discards what its run staged.
            await staging.DiscardAsync(context.Id, tenantId, restoreId, CancellationToken.None);
        }
    }

    private async Task<BackupManifest> ReadManifestAsync(string tenantId, Backup backup, CancellationToken ct)
    {
        await using var stream = await store.OpenReadAsync(BackupObjects.Manifest(tenantId, backup.Id), backup.Sha256!, ct);
        return await JsonSerializer.DeserializeAsync<BackupManifest>(stream, WireJson.Options, ct)
            ?? throw new ProblemException(ProblemCatalog.BackupCorrupted, $"The manifest of backup '{backup.Id}' is empty.");
    }

    /// <summary>The archived segments of a collection after the backup's LSN up to the target, checked for gaps.</summary>
    private async Task<List<WalArchiveSegment>> SegmentsAfterAsync(string tenantId, SnapshotCollection collection, RestoreOperationRequest request, CancellationToken ct)
    {
        var query = db.WalArchive.AsNoTracking().Where(s => s.TenantId == tenantId && s.CollectionId == collection.CollectionId && s.LastLsn > collection.Lsn);
        if (request.Lsn is { } lsn)
        {
            query = query.Where(s => s.FirstLsn <= lsn);
        }
        else if (request.At is { } at)
        {
            query = query.Where(s => s.FirstTime <= at);
        }

        var segments = await query.OrderBy(s => s.FirstLsn).ToListAsync(ct);
        var next = collection.Lsn + 1;
        foreach (var segment in segments)
        {
            if (segment.FirstLsn > next)
            {
                throw new ProblemException(ProblemCatalog.Conflict,
                    $"The archived log of collection '{collection.Name}' has a gap: LSNs {next} to {segment.FirstLsn - 1} were never archived, so this point in time cannot be reached.");
            }

            next = Math.Max(next, segment.LastLsn + 1);
        }

        return segments;
    }

    private static Exception? Unwrap(Exception? e)
    {
        for (var current = e; current is not null; current = current.InnerException)
        {
            if (current is BackupObjectCorruptedException or BackupObjectNotFoundException)
            {
                return current;
            }
        }

        return e;
    }

    [LoggerMessage(EventId = 5401, Level = LogLevel.Information, Message = "Restored tenant {Tenant} from backup {Backup}: {Collections} collections")]
    private static partial void Restored(ILogger logger, string tenant, string backup, int collections);
}
