using System.Net;
using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging.Abstractions;
using Piramid.Backups.Stores;
using Piramid.Contracts.Backups;
using Piramid.Contracts.Json;
using Piramid.ControlPlane.Backups;
using Piramid.ControlPlane.Data;
using Piramid.ControlPlane.Tests.Support;
using Piramid.TestKit.S3;
using Piramid.TestKit.Time;
using static Piramid.ControlPlane.Tests.Backups.BackupFixture;

namespace Piramid.ControlPlane.Tests.Backups;

/// <summary>
/// Retention of the log archive's collection files (docs/design/backups.md, "Schedule and retention"): once the recovery
/// window no longer reaches a time a collection existed at, its archived origin (settings file, starting checkpoint) goes,
/// and so do its segments when no kept backup holds it; everything a backup or the window still needs stays, and a restore
/// to a time still rebuilds collections from their origins. Real engine, real PostgreSQL, both stores (S3 on moto_server).
/// </summary>
[Collection(PostgresCollection.Name)]
public sealed class ArchiveRetentionTests(PostgresFixture postgres)
{
    private const int Dimension = 8;

    [Theory]
    [InlineData("filesystem")]
    [InlineData("s3")]
    public async Task Retention_RemovesTheOriginsAndLogOfCollectionsGoneBeforeTheWindow_AndNoMore_AndPointInTimeStillRestores(string storeKind)
    {
        await using var moto = storeKind == "s3" ? await MotoServer.StartAsync() : null;
        var settings = new Dictionary<string, string?>
        {
            // Archiving passes run when the test asks, so the store changes only when it expects it to.
            ["Backups:ArchiveInterval"] = "01:00:00",
            ["Backups:ScheduleInterval"] = "01:00:00",
        };
        if (moto is not null)
        {
            settings["Backups:Store"] = "s3";
            settings["Backups:S3:ServiceUrl"] = moto.ServiceUrl.ToString();
            settings["Backups:S3:Bucket"] = await moto.CreateBucketAsync();
            settings["Backups:S3:Prefix"] = "piramid";
            settings["Backups:S3:AccessKey"] = MotoServer.AccessKey;
            settings["Backups:S3:SecretKey"] = MotoServer.SecretKey;
            settings["Backups:S3:ForcePathStyle"] = "true";
        }

        await using var f = await BackupFixture.StartAsync(postgres, "retain-" + storeKind, plan: "standard", store: settings);
        var store = f.Host.App.Services.GetRequiredService<IBackupStore>();

        // "keep" and "gone" are backed up; both get writes after the backup, then "gone" is dropped. "brief" and "late" exist
        // only in the archive; "brief" is dropped.
        await f.CreateCollectionAsync("keep", Dimension);
        await f.UpsertAsync("keep", 0, 100, Dimension, seed: 1);
        await f.CreateCollectionAsync("gone", Dimension);
        await f.UpsertAsync("gone", 0, 40, Dimension, seed: 2);
        await SealAndArchiveAsync(f);
        var backupId = await f.BackupAsync();
        await f.UpsertAsync("keep", 100, 50, Dimension, seed: 3);
        await f.UpsertAsync("gone", 40, 20, Dimension, seed: 4);
        await f.CreateCollectionAsync("brief", Dimension);
        await f.UpsertAsync("brief", 0, 30, Dimension, seed: 5);
        await f.CreateCollectionAsync("late", Dimension);
        await f.UpsertAsync("late", 0, 70, Dimension, seed: 6);
        await SealAndArchiveAsync(f);
        await DeleteCollectionAsync(f, "gone");
        await DeleteCollectionAsync(f, "brief");
        await SealAndArchiveAsync(f);
        var keep = await f.ContentHashAsync("keep");
        var late = await f.ContentHashAsync("late");

        await using var scope = f.Host.App.Services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<ControlPlaneDbContext>();
        var ids = await db.WalArchiveCollections.AsNoTracking().Where(c => c.TenantId == f.Tenant)
            .ToDictionaryAsync(c => c.Collection, c => c.CollectionId);
        Assert.True(await db.WalArchiveCollections.CountAsync(c => c.TenantId == f.Tenant && c.DroppedAt != null) == 2, "both drops are recorded");
        var backup = await db.Backups.AsNoTracking().SingleAsync(b => b.Id == backupId);
        var floors = JsonSerializer.Deserialize<List<BackupCollection>>(backup.Collections!, WireJson.Options)!.ToDictionary(c => c.CollectionId!, c => c.Lsn!.Value);
        var segments = await db.WalArchive.AsNoTracking().Where(s => s.TenantId == f.Tenant).ToListAsync();
        var before = await ListAsync(store, f.Tenant);
        foreach (var name in new[] { "keep", "gone", "brief", "late" })
        {
            Assert.Contains(BackupObjects.Origin(f.Tenant, ids[name], "manifest.bin"), before);
            Assert.Contains(segments, s => s.CollectionId == ids[name] && (!floors.TryGetValue(s.CollectionId, out var floor) || s.FirstLsn > floor));
        }

        // What must go, 25 hours on (the 24 hour window then starts after both drops): the origins of "gone" and "brief";
        // every segment of "brief" (no backup holds it); the segments the kept backup covers. Everything else stays.
        bool Covered(string collectionId, long lastLsn) => floors.TryGetValue(collectionId, out var floor) && lastLsn <= floor;
        var removedSegments = segments.Where(s => s.CollectionId == ids["brief"] || Covered(s.CollectionId, s.LastLsn))
            .Select(s => BackupObjects.Segment(f.Tenant, s.CollectionId, s.File)).ToHashSet();
        var expected = before.Where(k => !removedSegments.Contains(k)
            && !k.StartsWith(BackupObjects.Segment(f.Tenant, ids["brief"], ""), StringComparison.Ordinal)
            && !(k.StartsWith(BackupObjects.Segment(f.Tenant, ids["gone"], ""), StringComparison.Ordinal) && !k.EndsWith(".seg", StringComparison.Ordinal)))
            .Order(StringComparer.Ordinal).ToList();
        Assert.Contains(expected, k => k.StartsWith(BackupObjects.Segment(f.Tenant, ids["gone"], "wal-"), StringComparison.Ordinal));

        var plan = await db.Plans.AsNoTracking().SingleAsync(p => p.Id == "standard");
        var retention = new BackupRetention(db, store, new ManualClock(DateTimeOffset.UtcNow.AddHours(25)), NullLogger<BackupRetention>.Instance);
        var removed = await retention.RunAsync(f.Tenant, plan, CancellationToken.None);

        Assert.Equal(expected, await ListAsync(store, f.Tenant));
        Assert.Equal((0, removedSegments.Count, 2), removed);
        Assert.Equal((0, 0, 0), await retention.RunAsync(f.Tenant, plan, CancellationToken.None));

        // A restore to a time still rebuilds "late" from its origin and "keep" from the backup and its later log, and
        // brings back neither dropped collection.
        var restore = await f.RunOperationAsync($"/v1/tenants/{f.Tenant}/restore", new { at = DateTimeOffset.UtcNow });
        Assert.True(restore["state"]!.GetValue<string>() == "succeeded", restore.ToJsonString());
        Assert.Equal(keep, await f.ContentHashAsync("keep"));
        Assert.Equal(late, await f.ContentHashAsync("late"));
        using var engine = f.Engine();
        await SendAsync(engine, HttpMethod.Get, "/v1/collections/gone", null, HttpStatusCode.NotFound);
        await SendAsync(engine, HttpMethod.Get, "/v1/collections/brief", null, HttpStatusCode.NotFound);
    }

    // A snapshot seals every collection's live segment; the pass records collections and drops, and stores what is sealed.
    private static async Task SealAndArchiveAsync(BackupFixture f)
    {
        var engine = f.Host.App.Services.GetRequiredService<EngineBackupClient>();
        var seal = await engine.CreateSnapshotAsync(f.Tenant, null, CancellationToken.None);
        await engine.ReleaseSnapshotAsync(f.Tenant, seal.SnapshotId, CancellationToken.None);
        await f.Host.App.Services.GetRequiredService<WalArchiver>().ArchiveTenantAsync(f.Tenant, CancellationToken.None);
    }

    private static async Task DeleteCollectionAsync(BackupFixture f, string name)
    {
        using var engine = f.Engine();
        await SendAsync(engine, HttpMethod.Delete, $"/v1/collections/{name}", null, HttpStatusCode.NoContent);
    }

    private static async Task<List<string>> ListAsync(IBackupStore store, string tenant) =>
        await store.ListAsync($"tenants/{tenant}/", CancellationToken.None).Select(o => o.Key).Order(StringComparer.Ordinal).ToListAsync();
}
