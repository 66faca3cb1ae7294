using System.Security.Cryptography;
using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging.Abstractions;
using Piramid.Backups.Stores.Filesystem;
using Piramid.Contracts.Backups;
using Piramid.Contracts.Json;
using Piramid.ControlPlane.Backups;
using Piramid.ControlPlane.Data;
using Piramid.ControlPlane.Data.Entities;
using Piramid.ControlPlane.Operations;
using Piramid.ControlPlane.Tests.Support;
using Piramid.TestKit;
using Piramid.TestKit.Time;

namespace Piramid.ControlPlane.Tests.Backups;

/// <summary>
/// Retention removes expired backups and archived segments no longer needed by a kept backup or the recovery window,
/// and no more: real PostgreSQL rows and real objects in the filesystem store, on a manual clock.
/// </summary>
[Collection(PostgresCollection.Name)]
public sealed class BackupRetentionTests(PostgresFixture postgres)
{
    private const string Cid = "00000000000000aa";

    [Fact]
    public async Task Retention_RemovesExpiredBackupsAndUnneededSegments_AndNoMore()
    {
        await using var host = await ControlPlaneHost.StartAsync(postgres);
        using var storeDir = new TempDirectory("piramid-retention");
        var store = new FilesystemBackupStore(storeDir.Path);
        var now = new DateTimeOffset(2026, 12, 6, 12, 0, 0, TimeSpan.Zero);
        var clock = new ManualClock(now);
        await using var scope = host.App.Services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<ControlPlaneDbContext>();
        var tenant = "t_retention";
        db.Tenants.Add(new Tenant { Id = tenant, Name = "retention", PlanId = "standard", Status = TenantStatus.Active, CreatedAt = now, UpdatedAt = now });
        await db.SaveChangesAsync();
        var plan = new Plan { Id = "p", Name = "p", BackupRetentionDays = 7, PitrWindowHours = 24 };

        // Backups at -10 d and -8 d (expired), -2 d (the newest before the 24 h window: its base, kept), -1 h (kept),
        // and a failed one at -9 d (expired leftovers).
        var old = await AddBackupAsync(db, store, tenant, now.AddDays(-10), lsn: 100);
        var older = await AddBackupAsync(db, store, tenant, now.AddDays(-8), lsn: 200);
        var windowBase = await AddBackupAsync(db, store, tenant, now.AddDays(-2), lsn: 300);
        var recent = await AddBackupAsync(db, store, tenant, now.AddHours(-1), lsn: 400);
        var failed = await AddBackupAsync(db, store, tenant, now.AddDays(-9), lsn: null);

        // Segments: all at or below the base's LSN 300 and older than the window go; the one crossing 300, and later
        // ones, stay.
        var segments = new[] { (1L, 100L, -10.0), (101, 250, -8), (251, 300, -2), (301, 350, -1.5), (351, 450, -0.01) };
        foreach (var (first, last, days) in segments)
        {
            await AddSegmentAsync(db, store, tenant, first, last, now.AddDays(days));
        }

        var retention = new BackupRetention(db, store, clock, NullLogger<BackupRetention>.Instance);
        var (backups, removedSegments, _) = await retention.RunAsync(tenant, plan, CancellationToken.None);

        Assert.Equal(3, backups);
        Assert.Equal(3, removedSegments);
        var keptBackups = await db.Backups.Where(b => b.TenantId == tenant).Select(b => b.Id).OrderBy(i => i).ToListAsync();
        Assert.Equal(new[] { windowBase, recent }.Order(), keptBackups);
        var keptSegments = await db.WalArchive.Where(s => s.TenantId == tenant).Select(s => s.FirstLsn).OrderBy(l => l).ToListAsync();
        Assert.Equal([301L, 351L], keptSegments);
        var objects = await store.ListAsync($"tenants/{tenant}/", CancellationToken.None).Select(o => o.Key).ToListAsync();
        foreach (var gone in new[] { old, older, failed })
        {
            Assert.DoesNotContain(objects, k => k.Contains(gone, StringComparison.Ordinal));
        }

        Assert.Contains(objects, k => k.Contains(windowBase, StringComparison.Ordinal));
        Assert.Contains(objects, k => k.Contains(recent, StringComparison.Ordinal));
        Assert.Equal(2, objects.Count(k => k.Contains("/wal/", StringComparison.Ordinal)));

        // A second round finds nothing more to remove.
        Assert.Equal((0, 0, 0), await retention.RunAsync(tenant, plan, CancellationToken.None));
    }

    private static async Task<string> AddBackupAsync(ControlPlaneDbContext db, FilesystemBackupStore store, string tenant, DateTimeOffset at, long? lsn)
    {
        var id = OperationQueue.NewId("bk_");
        var op = OperationQueue.NewId("op_");
        db.Operations.Add(new Operation { Id = op, TenantId = tenant, Kind = OperationKinds.Backup, State = lsn is null ? OperationStates.Failed : OperationStates.Succeeded, CreatedAt = at });
        db.Backups.Add(new Backup
        {
            Id = id,
            TenantId = tenant,
            OperationId = op,
            State = lsn is null ? BackupStates.Running : BackupStates.Completed,
            CreatedAt = at,
            SnapshotAt = lsn is null ? null : at,
            CompletedAt = lsn is null ? null : at,
            Lsn = lsn,
            Collections = lsn is null ? null : JsonSerializer.Serialize(new[] { new BackupCollection { Name = "docs", CollectionId = Cid, Lsn = lsn } }, WireJson.Options),
        });
        await db.SaveChangesAsync();
        await PutAsync(store, BackupObjects.File(tenant, id, $"collections/{Cid}/manifest.bin"));
        return id;
    }

    private static async Task AddSegmentAsync(ControlPlaneDbContext db, FilesystemBackupStore store, string tenant, long first, long last, DateTimeOffset lastTime)
    {
        var file = $"wal-{first:D20}.seg";
        var sha = await PutAsync(store, BackupObjects.Segment(tenant, Cid, file));
        db.WalArchive.Add(new WalArchiveSegment
        {
            TenantId = tenant,
            CollectionId = Cid,
            File = file,
            Collection = "docs",
            FirstLsn = first,
            LastLsn = last,
            FirstTime = lastTime.AddMinutes(-1),
            LastTime = lastTime,
            Size = 3,
            Sha256 = sha,
            ArchivedAt = lastTime,
        });
        await db.SaveChangesAsync();
    }

    private static async Task<string> PutAsync(FilesystemBackupStore store, string key)
    {
        var bytes = "abc"u8.ToArray();
        var sha = Convert.ToHexStringLower(SHA256.HashData(bytes));
        using var content = new MemoryStream(bytes);
        await store.PutAsync(key, content, bytes.Length, sha, null, CancellationToken.None);
        return sha;
    }
}
