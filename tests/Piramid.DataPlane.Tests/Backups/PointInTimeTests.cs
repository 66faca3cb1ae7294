using System.Collections.Concurrent;
using System.Diagnostics;
using Piramid.Contracts.Backups;
using Piramid.Contracts.Identity;
using Piramid.DataPlane.Tests.Support;

namespace Piramid.DataPlane.Tests.Backups;

/// <summary>
/// Point-in-time restore on the real engine: writers run concurrently, then a destructive delete by filter; a base
/// snapshot plus the archived (sealed) segments restore to just before it, by LSN and by time.
/// </summary>
public sealed class PointInTimeTests
{
    private sealed record Write(string Id, DateTimeOffset SentAt, DateTimeOffset AckedAt, long Lsn);

    [Fact]
    public async Task ConcurrentWritersThenDeleteByFilter_RestoreJustBefore_ByLsnAndByTime()
    {
        await using var host = new EngineTestHost();
        var engine = await host.StartAsync("batch");
        using var http = engine.CreateClient();
        using var admin = engine.CreateClient(Roles.PlatformAdmin, "control-plane");
        await http.CreateCollectionAsync("docs", 4);
        var (_, baseFiles) = await BackupCalls.SnapshotAsync(admin);

        // Writers run for about two seconds; each records when it sent and when it got its acknowledgement.
        var writes = new ConcurrentBag<Write>();
        var clock = Stopwatch.StartNew();
        var writers = Enumerable.Range(0, 3).Select(w => Task.Run(async () =>
        {
            using var client = engine.CreateClient();
            for (var i = 0; clock.Elapsed < TimeSpan.FromSeconds(2.2); i++)
            {
                var id = $"w{w}-{i}";
                var sent = DateTimeOffset.UtcNow;
                var result = await client.OkAsync(HttpMethod.Post, "/v1/collections/docs/points", new
                {
                    points = new[] { new { id, vector = new[] { w + 1f, i, 1f, 2f }, metadata = new { group = i % 2, writer = w } } },
                });
                writes.Add(new Write(id, sent, DateTimeOffset.UtcNow, result["lsn"]!.GetValue<long>()));
            }
        })).ToList();
        await Task.WhenAll(writers);

        var deleteSent = DateTimeOffset.UtcNow;
        var deleted = await http.OkAsync(HttpMethod.Post, "/v1/collections/docs/points/delete", new { filter = new { group = 1 } });
        var deleteLsn = deleted["lsn"]!.GetValue<long>();
        Assert.True(deleted["count"]!.GetValue<long>() > 0);

        // The archiver's view: a snapshot seals the log, then the sealed segments are listed and fetched.
        await BackupCalls.SnapshotAsync(admin);
        var archived = await BackupCalls.SealedSegmentsAsync(admin);
        var staged = new Dictionary<string, byte[]>(baseFiles.Where(f => !f.Key.Contains("/wal/", StringComparison.Ordinal)));
        foreach (var (path, bytes) in archived)
        {
            staged[path] = bytes;
        }

        // By LSN: the record just before the delete.
        var byLsn = await BackupCalls.StageAsync(admin, staged);
        var lsnAnswer = await admin.OkAsync(HttpMethod.Post, InternalBackupRoutes.Apply(byLsn), new { rename = new Dictionary<string, string> { ["docs"] = "docs-lsn" }, target = new { lsn = deleteLsn - 1 } });
        Assert.Equal(deleteLsn - 1, lsnAnswer["collections"]![0]!["lsn"]!.GetValue<long>());
        var restoredByLsn = await http.ScrollAllAsync("docs-lsn");
        Assert.Equal(writes.Select(w => w.Id).Order(StringComparer.Ordinal), restoredByLsn.Keys.Order(StringComparer.Ordinal));

        // By time: one second before the delete was sent. Times have millisecond resolution (docs/design/backups.md).
        var at = DateTimeOffset.FromUnixTimeMilliseconds((deleteSent - TimeSpan.FromSeconds(1)).ToUnixTimeMilliseconds());
        var byTime = await BackupCalls.StageAsync(admin, staged);
        await admin.OkAsync(HttpMethod.Post, InternalBackupRoutes.Apply(byTime), new { rename = new Dictionary<string, string> { ["docs"] = "docs-time" }, target = new { at } });
        var restoredByTime = (await http.ScrollAllAsync("docs-time")).Keys.ToHashSet(StringComparer.Ordinal);
        var before = writes.Where(w => w.AckedAt < at).ToList();
        var after = writes.Where(w => w.SentAt >= at.AddMilliseconds(1)).ToList();
        Assert.NotEmpty(before);
        Assert.NotEmpty(after);
        Assert.All(before, w => Assert.Contains(w.Id, restoredByTime));
        Assert.All(after, w => Assert.DoesNotContain(w.Id, restoredByTime));

        // Writes in flight at that instant may be in or out, but the restore is a prefix of the log: no hole.
        var lastIn = writes.Where(w => restoredByTime.Contains(w.Id)).Max(w => w.Lsn);
        Assert.All(writes.Where(w => w.Lsn <= lastIn), w => Assert.Contains(w.Id, restoredByTime));
        Assert.Equal(writes.Count(w => w.Lsn <= lastIn), restoredByTime.Count);

        // The live collection still shows the delete; both restores sit beside it.
        Assert.DoesNotContain((await http.ScrollAllAsync("docs")).Values, p => p["metadata"]!["group"]!.GetValue<int>() == 1);
    }
}
