using System.Text.Json;
using Piramid.Engine.Backups;
using Piramid.Engine.Commands;

namespace Piramid.Engine.Tests.Backups;

/// <summary>Snapshots and staged restores in process (docs/design/backups.md).</summary>
public sealed class SnapshotRestoreTests
{
    [Theory]
    [InlineData(1)]
    [InlineData(2)]
    [InlineData(3)]
    [InlineData(4)]
    [InlineData(5)]
    public async Task RestoreToRandomLsn_EqualsTheOriginalAtThatLsn(int seed)
    {
        // Property: random upserts and deletes (checkpoints and segment rotations in between), a snapshot at the end,
        // then restores to random LSNs: each equals the original collection as it was at that LSN.
        var random = new Random(seed);
        await using var host = new BackupEngine(walSegmentBytes: 4096);
        var collection = host.Create("c");
        var hashAt = new Dictionary<long, string> { [0] = BackupEngine.ContentHash(collection) };
        for (var op = 0; op < 60; op++)
        {
            long lsn;
            if (random.Next(4) == 0)
            {
                var ids = Enumerable.Range(0, random.Next(1, 4)).Select(_ => $"p{random.Next(25)}").ToList();
                lsn = (await collection.DeleteAsync(new DeletePoints(ids))).Lsn;
            }
            else
            {
                var points = Enumerable.Range(0, random.Next(1, 6))
                    .Select(_ => random.Next(25)).Distinct()
                    .Select(i => BackupEngine.Point($"p{i}", random, random.Next(3) == 0 ? null : new { n = random.Next(1000), tag = $"t{random.Next(5)}" }))
                    .ToList<NewPoint?>();
                lsn = (await collection.UpsertAsync(new UpsertPoints(points))).Lsn;
            }

            hashAt[lsn] = BackupEngine.ContentHash(collection);
            if (random.Next(15) == 0)
            {
                Assert.True(collection.Checkpoint());
            }
        }

        var snapshot = host.Engine.CreateSnapshot(["c"]);
        var image = Assert.Single(snapshot.Collections);
        Assert.Equal(hashAt.Keys.Max(), image.Lsn);
        var checkpointLsn = image.Files.Where(f => f.Path.Contains("/checkpoints/", StringComparison.Ordinal))
            .Select(f => long.Parse(Path.GetFileNameWithoutExtension(f.Path)["checkpoint-".Length..], System.Globalization.CultureInfo.InvariantCulture))
            .DefaultIfEmpty(0).Single();
        var reachable = hashAt.Keys.Where(l => l >= checkpointLsn).Order().ToList();
        for (var round = 0; round < 4; round++)
        {
            var target = reachable[random.Next(reachable.Count)];
            var restore = await host.StageAsync(snapshot);
            var name = $"r{round}";
            var restored = Assert.Single(await host.Engine.ApplyRestoreAsync(restore, null, new Dictionary<string, string> { ["c"] = name }, new RestorePoint(target, null)));
            Assert.Equal(target, restored.Lsn);
            Assert.Equal(hashAt[target], BackupEngine.ContentHash(host.Engine.Get(name)));
            await host.Engine.DiscardRestoreAsync(restore);
        }
    }

    [Fact]
    public async Task Snapshot_WhileWritesContinue_HoldsEveryWriteUpToItsLsnAndNoneAfter()
    {
        await using var host = new BackupEngine(walSegmentBytes: 8192);
        var collection = host.Create("live");
        var random = new Random(7);
        var acknowledged = new System.Collections.Concurrent.ConcurrentDictionary<string, long>();
        using var stop = new CancellationTokenSource();
        var writers = Enumerable.Range(0, 3).Select(w => Task.Run(async () =>
        {
            var rnd = new Random(w);
            for (var i = 0; !stop.IsCancellationRequested || i < 50; i++)
            {
                var id = $"w{w}-{i}";
                var result = await collection.UpsertAsync(new UpsertPoints([BackupEngine.Point(id, rnd, new { i })]));
                acknowledged[id] = result.Lsn;
                if (i >= 400)
                {
                    break;
                }
            }
        })).ToList();

        // Snapshots while the writers run: each must hold exactly the writes with LSN <= its LSN.
        var snapshots = new List<EngineSnapshot>();
        while (snapshots.Count < 3 && writers.Any(t => !t.IsCompleted))
        {
            if (acknowledged.Count > (snapshots.Count + 1) * 60)
            {
                snapshots.Add(host.Engine.CreateSnapshot(null));
            }
            else
            {
                await Task.Yield();
            }
        }

        await stop.CancelAsync();
        await Task.WhenAll(writers);
        Assert.NotEmpty(snapshots);
        for (var s = 0; s < snapshots.Count; s++)
        {
            var snapshot = snapshots[s];
            var lsn = Assert.Single(snapshot.Collections).Lsn;
            var restore = await host.StageAsync(snapshot);
            await host.Engine.ApplyRestoreAsync(restore, null, new Dictionary<string, string> { ["live"] = $"snap{s}" }, RestorePoint.End);
            var restored = host.Engine.Get($"snap{s}").Scroll(new Queries.ScrollQuery { Limit = 10_000 }).Items.Select(p => p.Id).ToHashSet();
            var expected = acknowledged.Where(a => a.Value <= lsn).Select(a => a.Key).ToHashSet();
            Assert.Equal(expected.Order(), restored.Order());
        }
    }

    [Fact]
    public async Task StagedFile_WithWrongHash_IsRefusedNamingIt_AndLeavesNothing()
    {
        await using var host = new BackupEngine();
        var collection = host.Create("docs");
        await collection.UpsertAsync(new UpsertPoints([BackupEngine.Point("a", new Random(1))]));
        var snapshot = host.Engine.CreateSnapshot(null);
        var file = snapshot.Collections[0].Files.First(f => f.Path.EndsWith(".seg", StringComparison.Ordinal));
        var bytes = await File.ReadAllBytesAsync(host.Engine.SnapshotFile(snapshot.Id, file.Path));
        bytes[^5] ^= 0x01;
        var restore = host.Engine.CreateRestore();

        var e = await Assert.ThrowsAsync<EngineException>(() =>
            host.Engine.StageRestoreFileAsync(restore, file.Path, new MemoryStream(bytes), file.Sha256, CancellationToken.None));
        Assert.Equal(EngineErrorKind.InvalidArgument, e.Kind);
        Assert.Contains(file.Path, e.Message, StringComparison.Ordinal);
        var staged = Path.Combine(host.DataDirectory, ".restore-" + restore, "files");
        Assert.Empty(Directory.EnumerateFiles(staged, "*", SearchOption.AllDirectories));
    }

    [Fact]
    public async Task StagedSegment_TruncatedWithItsOwnHash_IsRefusedAtApplyNamingIt_AndNothingIsSwitchedIn()
    {
        await using var host = new BackupEngine();
        var collection = host.Create("docs");
        for (var i = 0; i < 5; i++)
        {
            await collection.UpsertAsync(new UpsertPoints([BackupEngine.Point($"p{i}", new Random(i))]));
        }

        var before = BackupEngine.ContentHash(collection);
        var snapshot = host.Engine.CreateSnapshot(null);
        var segment = snapshot.Collections[0].Files.First(f => f.Path.EndsWith(".seg", StringComparison.Ordinal));
        var restore = await host.StageAsync(snapshot, f => f != segment);
        var truncated = (await File.ReadAllBytesAsync(host.Engine.SnapshotFile(snapshot.Id, segment.Path)))[..^30];
        await host.Engine.StageRestoreFileAsync(restore, segment.Path, new MemoryStream(truncated), Convert.ToHexStringLower(System.Security.Cryptography.SHA256.HashData(truncated)), CancellationToken.None);

        var e = await Assert.ThrowsAsync<EngineException>(() => host.Engine.ApplyRestoreAsync(restore, null, null, RestorePoint.End));
        Assert.Equal(EngineErrorKind.InvalidArgument, e.Kind);
        Assert.Contains(segment.Path, e.Message, StringComparison.Ordinal);
        Assert.Equal(before, BackupEngine.ContentHash(host.Engine.Get("docs")));
        Assert.Single(host.Engine.List());
    }

    [Fact]
    public async Task Apply_RejectsBadRequests_WithA4xxNamingTheProblem()
    {
        await using var host = new BackupEngine();
        var collection = host.Create("docs");
        host.Create("other");
        await collection.UpsertAsync(new UpsertPoints([BackupEngine.Point("a", new Random(1))]));
        var snapshot = host.Engine.CreateSnapshot(["docs"]);
        var restore = await host.StageAsync(snapshot);

        async Task<EngineException> Refused(IReadOnlyList<string>? names, Dictionary<string, string>? rename, RestorePoint target) =>
            await Assert.ThrowsAsync<EngineException>(() => host.Engine.ApplyRestoreAsync(restore, names, rename, target));

        Assert.Contains("'nope' was not staged", (await Refused(["nope"], null, RestorePoint.End)).Message, StringComparison.Ordinal);
        Assert.Equal(EngineErrorKind.Conflict, (await Refused(null, new() { ["docs"] = "other" }, RestorePoint.End)).Kind);
        Assert.Contains("not a valid collection name", (await Refused(null, new() { ["docs"] = "Bad Name" }, RestorePoint.End)).Message, StringComparison.Ordinal);
        Assert.Contains("ends at LSN 1, before 9", (await Refused(null, null, new RestorePoint(9, null))).Message, StringComparison.Ordinal);
        var badPath = await Assert.ThrowsAsync<EngineException>(() =>
            host.Engine.StageRestoreFileAsync(restore, "../escape", new MemoryStream([1]), new string('0', 64), CancellationToken.None));
        Assert.Contains("'../escape' is not a file a restore reads", badPath.Message, StringComparison.Ordinal);
        Assert.Equal(EngineErrorKind.NotFound, (await Assert.ThrowsAsync<EngineException>(() => host.Engine.ApplyRestoreAsync("0123", null, null, RestorePoint.End))).Kind);
        Assert.Equal(2, host.Engine.List().Count);
    }

    [Fact]
    public async Task RestoreInPlace_OverALiveCollection_ReplacesItWhole_AndTakesNewWrites()
    {
        await using var host = new BackupEngine();
        var collection = host.Create("docs");
        await collection.UpsertAsync(new UpsertPoints([BackupEngine.Point("a", new Random(1), new { v = 1 }), BackupEngine.Point("b", new Random(2))]));
        var snapshot = host.Engine.CreateSnapshot(null);
        var atSnapshot = BackupEngine.ContentHash(collection);
        await collection.UpsertAsync(new UpsertPoints([BackupEngine.Point("c", new Random(3))]));
        await collection.DeleteAsync(new DeletePoints(["a"]));
        Assert.NotEqual(atSnapshot, BackupEngine.ContentHash(collection));

        var restore = await host.StageAsync(snapshot);
        await host.Engine.ApplyRestoreAsync(restore, null, null, RestorePoint.End);
        var live = host.Engine.Get("docs");
        Assert.Equal(atSnapshot, BackupEngine.ContentHash(live));
        var write = await live.UpsertAsync(new UpsertPoints([BackupEngine.Point("d", new Random(4), JsonSerializer.SerializeToElement(new { w = 1 }))]));
        Assert.Equal(2, write.Lsn); // the restored log continues right after the restored LSN (1)
        Assert.Empty(Directory.EnumerateDirectories(Path.Combine(host.DataDirectory, ".restore-" + restore, "build"))); // the previous files are gone
    }
}
