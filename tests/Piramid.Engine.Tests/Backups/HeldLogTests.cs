using Piramid.Engine.Backups;
using Piramid.Engine.Commands;

namespace Piramid.Engine.Tests.Backups;

/// <summary>
/// A dropped collection's log not yet archived stays for the archiver (docs/design/backups.md, "Dropped collections"):
/// a point-in-time restore to just before a drop must not miss acknowledged writes.
/// </summary>
public sealed class HeldLogTests
{
    [Fact]
    public async Task Delete_HoldsEveryAcknowledgedWrite_ForTheArchiver_UntilAcknowledged()
    {
        await using var host = new BackupEngine(walSegmentBytes: 4096, recoveryWindow: TimeSpan.FromHours(1));
        var (id, lastLsn) = await WriteAsync(host, "tenant-secret-name", 40);

        host.Engine.Delete("tenant-secret-name");

        var held = HeldSegments(host, id);
        Assert.NotEmpty(held);
        Assert.All(held, s => Assert.Equal("tenant-secret-name", s.Collection));
        foreach (var file in Directory.EnumerateFiles(Path.Combine(host.DataDirectory, "wal-held"), "*", SearchOption.AllDirectories))
        {
            // The collection's name is tenant data: nothing the hold writes has it in plaintext.
            Assert.DoesNotContain("tenant-secret-name", System.Text.Encoding.UTF8.GetString(await File.ReadAllBytesAsync(file)), StringComparison.Ordinal);
        }

        Assert.Equal(lastLsn, held[^1].LastLsn); // the unsealed tail was sealed into the hold
        Assert.Equal(1, held[0].FirstLsn);
        Assert.All(held, s => Assert.True(File.Exists(host.Engine.SealedSegmentFile(id, s.File))));
        Assert.Equal(held.Sum(s => s.Size), host.Engine.ArchiveStatus().UnarchivedBytes);

        host.Engine.MarkArchived(id, held[0].LastLsn);
        Assert.Equal(held.Skip(1).Select(s => s.File), HeldSegments(host, id).Select(s => s.File));
        host.Engine.MarkArchived(id, lastLsn);

        Assert.Empty(HeldSegments(host, id));
        Assert.False(Directory.Exists(Path.Combine(host.DataDirectory, "wal-held", id)));
        Assert.Equal(EngineErrorKind.NotFound, Assert.Throws<EngineException>(() => host.Engine.MarkArchived(id, lastLsn)).Kind);
    }

    [Fact]
    public async Task Delete_HoldsOnlyWhatTheArchiveHasNotAcknowledged()
    {
        await using var host = new BackupEngine(walSegmentBytes: 4096, recoveryWindow: TimeSpan.FromHours(1));
        var (id, _) = await WriteAsync(host, "c", 40);
        var sealedSegments = host.Engine.ListSealedSegments(null, 1000).Segments.Where(s => s.CollectionId == id).ToList();
        host.Engine.MarkArchived(id, sealedSegments[^1].LastLsn);
        var (_, lastLsn) = await WriteAsync(host, "c", 5, first: 40);

        host.Engine.Delete("c");

        var held = HeldSegments(host, id);
        Assert.Equal(sealedSegments[^1].LastLsn + 1, held[0].FirstLsn);
        Assert.Equal(lastLsn, held[^1].LastLsn);
    }

    [Fact]
    public async Task AnInPlaceRestore_HoldsTheReplacedCollectionsUnarchivedLog()
    {
        await using var host = new BackupEngine(walSegmentBytes: 4096, recoveryWindow: TimeSpan.FromHours(1));
        await WriteAsync(host, "c", 10);
        var snapshot = host.Engine.CreateSnapshot(["c"]);
        var (id, lastLsn) = await WriteAsync(host, "c", 10, first: 10);

        var restore = await host.StageAsync(snapshot);
        await host.Engine.ApplyRestoreAsync(restore, null, null, RestorePoint.End);

        Assert.NotEqual(id, Path.GetFileName(host.Engine.Get("c").Directory));
        Assert.Equal(10, host.Engine.Get("c").Count);
        Assert.Equal(lastLsn, HeldSegments(host, id)[^1].LastLsn);
    }

    [Fact]
    public async Task HeldLog_SurvivesARestart_AndARecreatedNameIsANewHistory()
    {
        await using var host = new BackupEngine(walSegmentBytes: 4096, recoveryWindow: TimeSpan.FromHours(1));
        var (id, lastLsn) = await WriteAsync(host, "c", 30);
        host.Engine.Delete("c");
        var held = HeldSegments(host, id);
        var (newId, _) = await WriteAsync(host, "c", 3);

        await host.RestartAsync();

        Assert.NotEqual(id, newId);
        Assert.Equal(held, HeldSegments(host, id));
        Assert.Equal(lastLsn, HeldSegments(host, id)[^1].LastLsn);
        Assert.Equal(3, host.Engine.Get("c").Count);
        host.Engine.MarkArchived(id, lastLsn);
        await host.RestartAsync();
        Assert.Empty(HeldSegments(host, id));
    }

    [Fact]
    public async Task WithoutRecoveryWindow_ADropHoldsNothing()
    {
        await using var host = new BackupEngine(walSegmentBytes: 4096);
        var (id, _) = await WriteAsync(host, "c", 20);

        host.Engine.Delete("c");

        Assert.Empty(HeldSegments(host, id));
        Assert.False(Directory.Exists(Path.Combine(host.DataDirectory, "wal-held")));
    }

    [Fact]
    public async Task HeldSegments_OlderThanTheRecoveryWindow_ArePrunedByMaintenance()
    {
        var time = new ShiftedTimeProvider();
        await using var host = new BackupEngine(walSegmentBytes: 4096, time: time, recoveryWindow: TimeSpan.FromHours(1));
        var (id, _) = await WriteAsync(host, "c", 20);
        host.Engine.Delete("c");

        host.Engine.RunMaintenance();
        Assert.NotEmpty(HeldSegments(host, id));
        time.Offset = TimeSpan.FromHours(1) + TimeSpan.FromMinutes(1);
        host.Engine.RunMaintenance();

        Assert.Empty(HeldSegments(host, id));
    }

    [Fact]
    public async Task AnUnfinishedHold_IsDroppedAtStart()
    {
        await using var host = new BackupEngine(walSegmentBytes: 4096, recoveryWindow: TimeSpan.FromHours(1));
        var partial = Path.Combine(host.DataDirectory, "wal-held", "0123456789abcdef.partial");
        Directory.CreateDirectory(partial);
        await File.WriteAllTextAsync(Path.Combine(partial, "wal-00000000000000000001.seg"), "torn");

        await host.RestartAsync();

        Assert.False(Directory.Exists(partial));
        Assert.Empty(host.Engine.ListSealedSegments(null, 1000).Segments);
    }

    private static List<SealedSegmentEntry> HeldSegments(BackupEngine host, string id) =>
        [.. host.Engine.ListSealedSegments(null, 1000).Segments.Where(s => s.CollectionId == id)];

    // Points big enough to fill several 4 KiB segments; returns the collection's id and last LSN.
    private static async Task<(string Id, long LastLsn)> WriteAsync(BackupEngine host, string name, int points, int first = 0)
    {
        var collection = first == 0 ? host.Create(name) : host.Engine.Get(name);
        var random = new Random(points);
        for (var i = first; i < first + points; i++)
        {
            await collection.UpsertAsync(new UpsertPoints([BackupEngine.Point($"p{i}", random, new { pad = new string('x', 200) })]));
        }

        return (Path.GetFileName(collection.Directory), collection.LastLsn);
    }

    // The system clock moved forward at will; timers stay real, so the log's flushes still run.
    private sealed class ShiftedTimeProvider : TimeProvider
    {
        public TimeSpan Offset { get; set; }

        public override DateTimeOffset GetUtcNow() => base.GetUtcNow() + Offset;
    }
}
