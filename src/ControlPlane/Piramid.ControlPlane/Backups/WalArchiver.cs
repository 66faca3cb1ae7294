using System.Collections.Concurrent;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using Piramid.Backups.Stores;
using Piramid.Contracts.Backups;
using Piramid.ControlPlane.Data;
using Piramid.ControlPlane.Data.Entities;
using Piramid.ControlPlane.Orchestration;

namespace Piramid.ControlPlane.Backups;

/// <summary>
/// Copies every running engine's sealed WAL segments to the store (for tenants whose plan has a recovery window):
/// stream, store with the engine's SHA-256, record in <c>wal_archive</c>, and only then acknowledge, so the engine
/// drops nothing that is not safely stored. Then measures the archive lag. A restore calls
/// <see cref="ArchiveTenantAsync"/> itself so that the log up to its target is archived before it starts.
/// </summary>
public sealed partial class WalArchiver(
    IServiceScopeFactory scopes,
    IEngineOrchestrator orchestrator,
    EngineBackupClient engine,
    IBackupStore store,
    BackupTelemetry telemetry,
    IOptions<BackupScheduleOptions> options,
    TimeProvider time,
    ILogger<WalArchiver> logger) : BackgroundService
{
    private readonly ConcurrentDictionary<string, SemaphoreSlim> _gates = new(StringComparer.Ordinal);

    /// <inheritdoc />
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        using var timer = new PeriodicTimer(options.Value.ArchiveInterval, time);
        using var background = EngineHolds.Background(); // Polling neither wakes an engine nor keeps it from hibernating.
        do
        {
            foreach (var tenant in await TenantsWithWindowAsync(stoppingToken))
            {
                try
                {
                    await ArchiveTenantAsync(tenant, stoppingToken);
                }
                catch (Exception e) when (e is not OperationCanceledException)
                {
                    // The next pass tries again; nothing is acknowledged before it is stored.
                    PassFailed(logger, tenant, e);
                }
            }
        }
        while (await timer.WaitForNextTickAsync(stoppingToken));
    }

    /// <summary>Archives every sealed segment of the tenant's engine now; returns how many were stored.</summary>
    public async Task<int> ArchiveTenantAsync(string tenantId, CancellationToken ct)
    {
        var gate = _gates.GetOrAdd(tenantId, _ => new SemaphoreSlim(1, 1));
        await gate.WaitAsync(ct);
        try
        {
            await using var scope = scopes.CreateAsyncScope();
            var db = scope.ServiceProvider.GetRequiredService<ControlPlaneDbContext>();
            var stored = 0;

            // Collections first: archiving an origin seals the live segment, which the segment pass then stores.
            await RecordCollectionsAsync(db, tenantId, await engine.ArchiveStatusAsync(tenantId, ct), ct);
            var cursor = await db.WalArchiveCursors.SingleOrDefaultAsync(c => c.TenantId == tenantId, ct);
            while (true)
            {
                var page = await engine.SealedSegmentsAsync(tenantId, cursor?.Cursor, ct);
                foreach (var segment in page.Segments)
                {
                    stored += await ArchiveAsync(db, tenantId, segment, ct) ? 1 : 0;
                }

                foreach (var collection in page.Segments.GroupBy(s => s.CollectionId))
                {
                    await engine.AcknowledgeArchivedAsync(tenantId, collection.Key, collection.Max(s => s.LastLsn), ct);
                }

                // The cursor resumes a listing cut off midway; a finished listing starts over next time (acknowledged
                // segments leave it).
                if (page.NextCursor is null)
                {
                    if (cursor is not null)
                    {
                        db.WalArchiveCursors.Remove(cursor);
                        await db.SaveChangesAsync(ct);
                    }

                    break;
                }

                cursor ??= db.WalArchiveCursors.Add(new WalArchiveCursor { TenantId = tenantId, Cursor = page.NextCursor }).Entity;
                cursor.Cursor = page.NextCursor;
                cursor.UpdatedAt = time.GetUtcNow();
                await db.SaveChangesAsync(ct);
            }

            await MeasureLagAsync(db, tenantId, ct);
            return stored;
        }
        finally
        {
            gate.Release();
        }
    }

    private async Task<bool> ArchiveAsync(ControlPlaneDbContext db, string tenantId, SealedSegment segment, CancellationToken ct)
    {
        if (await db.WalArchive.AnyAsync(s => s.TenantId == tenantId && s.CollectionId == segment.CollectionId && s.File == segment.File, ct))
        {
            return false; // stored by an earlier pass that died before acknowledging
        }

        using (var response = await engine.OpenSegmentAsync(tenantId, segment.CollectionId, segment.File, ct))
        {
            await using var content = await response.Content.ReadAsStreamAsync(ct);
            await store.PutAsync(BackupObjects.Segment(tenantId, segment.CollectionId, segment.File), content, segment.Size, segment.Sha256, null, ct);
        }

        // Segments written before append times existed carry none; they count as sealed at archiving time.
        var now = time.GetUtcNow();
        db.WalArchive.Add(new WalArchiveSegment
        {
            TenantId = tenantId,
            CollectionId = segment.CollectionId,
            File = segment.File,
            Collection = segment.Collection,
            FirstLsn = segment.FirstLsn,
            LastLsn = segment.LastLsn,
            FirstTime = segment.FirstTime ?? now,
            LastTime = segment.LastTime ?? now,
            Size = segment.Size,
            Sha256 = segment.Sha256,
            ArchivedAt = now,
        });
        await db.SaveChangesAsync(ct);
        return true;
    }

    private async Task MeasureLagAsync(ControlPlaneDbContext db, string tenantId, CancellationToken ct)
    {
        var status = await engine.ArchiveStatusAsync(tenantId, ct);
        var newestArchived = await db.WalArchive.AsNoTracking().Where(s => s.TenantId == tenantId)
            .GroupBy(s => s.CollectionId).Select(g => new { g.Key, Time = g.Max(s => s.LastTime) })
            .ToDictionaryAsync(x => x.Key, x => x.Time, ct);
        var seconds = 0.0;
        foreach (var c in status.Collections.Where(c => c.NewestSealedLsn > c.ArchivedThroughLsn && c.NewestSealedTime is not null))
        {
            var archived = newestArchived.TryGetValue(c.CollectionId, out var t) ? t : (DateTimeOffset?)null;
            var behind = archived is null ? time.GetUtcNow() - c.NewestSealedTime!.Value : c.NewestSealedTime!.Value - archived.Value;
            seconds = Math.Max(seconds, Math.Max(0, behind.TotalSeconds));
        }

        telemetry.Record(tenantId, new ArchiveLag(seconds, status.UnarchivedBytes, time.GetUtcNow()));
    }

    private async Task<List<string>> TenantsWithWindowAsync(CancellationToken ct)
    {
        var running = orchestrator.GetRoutes().Where(r => r.State == EngineState.Running).Select(r => r.TenantId).ToList();
        if (running.Count == 0)
        {
            return [];
        }

        await using var scope = scopes.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<ControlPlaneDbContext>();
        return await db.Tenants.AsNoTracking()
            .Where(t => running.Contains(t.Id) && t.Status == TenantStatus.Active && t.Plan!.PitrWindowHours > 0)
            .Select(t => t.Id).ToListAsync(ct);
    }

    [LoggerMessage(EventId = 5301, Level = LogLevel.Warning, Message = "Archiving the log of tenant {Tenant} failed; retrying next pass")]
    private static partial void PassFailed(ILogger logger, string tenant, Exception exception);
}
