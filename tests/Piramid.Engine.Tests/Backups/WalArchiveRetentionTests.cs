using Piramid.Engine.Collections;
using Piramid.Engine.Commands;

namespace Piramid.Engine.Tests.Backups;

/// <summary>With a recovery window, checkpoints keep sealed segments until they are archived, within a reported bound.</summary>
public sealed class WalArchiveRetentionTests
{
    [Fact]
    public async Task WithoutWindow_CheckpointsPruneAsBefore()
    {
        await using var host = new BackupEngine(walSegmentBytes: 4096);
        var collection = await WriteAndCheckpointAsync(host);
        Assert.True(collection.SealedSegments()[0].FirstLsn > 1);
    }

    [Fact]
    public async Task WithWindow_UnarchivedSegmentsStay_UntilAcknowledged()
    {
        await using var host = new BackupEngine(walSegmentBytes: 4096, recoveryWindow: TimeSpan.FromHours(1));
        var collection = await WriteAndCheckpointAsync(host);
        var segments = collection.SealedSegments();
        Assert.Equal(1, segments[0].FirstLsn);
        var id = Path.GetFileName(collection.Directory);
        Assert.Equal(segments.Count, host.Engine.ListSealedSegments(null, 1000).Segments.Count(s => s.CollectionId == id));

        var archivedThrough = segments[2].LastLsn;
        host.Engine.MarkArchived(id, archivedThrough);
        await collection.UpsertAsync(new UpsertPoints([BackupEngine.Point("late", new Random(1))]));
        Assert.True(collection.Checkpoint());

        Assert.Equal(archivedThrough + 1, collection.SealedSegments()[0].FirstLsn);
        Assert.All(host.Engine.ListSealedSegments(null, 1000).Segments.Where(s => s.CollectionId == id), s => Assert.True(s.LastLsn > archivedThrough));
        var status = host.Engine.ArchiveStatus().Collections.Single(c => c.Name == "c");
        Assert.Equal(archivedThrough, status.ArchivedThroughLsn);
        Assert.Equal(0, status.DroppedUnarchivedThroughLsn);
    }

    [Fact]
    public async Task WithWindow_PastTheLimit_OldestUnarchivedArePruned_AndReported()
    {
        await using var host = new BackupEngine(walSegmentBytes: 4096, recoveryWindow: TimeSpan.FromHours(1), unarchivedLimit: 1);
        var collection = await WriteAndCheckpointAsync(host);
        Assert.True(collection.SealedSegments()[0].FirstLsn > 1);
        var status = host.Engine.ArchiveStatus().Collections.Single(c => c.Name == "c");
        Assert.True(status.DroppedUnarchivedThroughLsn > 0, "the pruned unarchived LSNs are reported");
    }

    [Fact]
    public async Task SealedListing_PagesWithACursor_InCollectionIdAndLsnOrder()
    {
        await using var host = new BackupEngine(walSegmentBytes: 4096, recoveryWindow: TimeSpan.FromHours(1));
        await WriteAndCheckpointAsync(host);
        var all = host.Engine.ListSealedSegments(null, 1000).Segments;
        var paged = new List<Piramid.Engine.Backups.SealedSegmentEntry>();
        string? cursor = null;
        do
        {
            var (page, next) = host.Engine.ListSealedSegments(cursor, 2);
            paged.AddRange(page);
            cursor = next;
        }
        while (cursor is not null);
        Assert.Equal(all, paged);
        Assert.Equal(all.OrderBy(s => s.CollectionId, StringComparer.Ordinal).ThenBy(s => s.FirstLsn), all);
        Assert.Equal(EngineErrorKind.InvalidArgument, Assert.Throws<EngineException>(() => host.Engine.ListSealedSegments("garbage", 2)).Kind);
    }

    private static async Task<Collection> WriteAndCheckpointAsync(BackupEngine host)
    {
        var collection = host.Create("c");
        host.Create("d");
        var random = new Random(3);
        for (var round = 0; round < 3; round++)
        {
            for (var i = 0; i < 20; i++)
            {
                await collection.UpsertAsync(new UpsertPoints([BackupEngine.Point($"p{round}-{i}", random, new { pad = new string('x', 200) })]));
                await host.Engine.Get("d").UpsertAsync(new UpsertPoints([BackupEngine.Point($"q{i}", random)]));
            }

            Assert.True(collection.Checkpoint());
        }

        return collection;
    }
}
