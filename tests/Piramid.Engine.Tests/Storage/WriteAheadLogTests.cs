using System.Text;
using Piramid.Engine.Crypto;
using Piramid.Engine.Storage;

namespace Piramid.Engine.Tests.Storage;

public sealed class WriteAheadLogTests : IDisposable
{
    private readonly TempDirectory _temp = new();
    private readonly DataKey _key = DataKey.Generate();

    public void Dispose()
    {
        _key.Dispose();
        _temp.Dispose();
    }

    [Fact]
    public async Task Open_AfterAppends_ReplaysEverythingAfterAfterLsnInOrder()
    {
        await using (var log = Open(0, out _))
        {
            for (var i = 1; i <= 10; i++)
            {
                Assert.Equal(i, log.Append((byte)(i % 3), Payload(i)));
            }

            await log.FlushAsync();
        }

        await using var reopened = Open(4, out var replayed);
        Assert.Equal(Enumerable.Range(5, 6).Select(i => (long)i), replayed.Select(r => r.Lsn));
        Assert.All(replayed, r => Assert.Equal(Payload((int)r.Lsn), r.Payload.ToArray()));
        Assert.All(replayed, r => Assert.Equal((byte)(r.Lsn % 3), r.Type));
        Assert.Equal(10, reopened.LastLsn);
        Assert.Equal(11, reopened.Append(0, Payload(11)));
    }

    [Fact]
    public async Task Append_PastSegmentBytes_RotatesAndReopenReplaysAcrossSegments()
    {
        var options = new WalOptions { SegmentBytes = 4096, Policy = DurabilityPolicy.Parse("always") };
        await using (var log = WriteAheadLog.Open(_temp.Path, _key, options, 0, _ => { }))
        {
            for (var i = 1; i <= 100; i++)
            {
                await log.WaitDurableAsync(log.Append(1, new byte[200]));
            }

            Assert.Equal(log.BytesOnDisk, SegmentFiles().Sum(f => new FileInfo(f).Length));
        }

        Assert.True(SegmentFiles().Length >= 5, $"expected rotation, found {SegmentFiles().Length} segments");
        await using var reopened = Open(0, out var replayed);
        Assert.Equal(Enumerable.Range(1, 100).Select(i => (long)i), replayed.Select(r => r.Lsn));
    }

    [Fact]
    public async Task RemoveSegmentsUpTo_DeletesOnlySegmentsFullyCovered()
    {
        var options = new WalOptions { Policy = DurabilityPolicy.Parse("always") };
        await using (var log = WriteAheadLog.Open(_temp.Path, _key, options, 0, _ => { }))
        {
            for (var i = 1; i <= 9; i++)
            {
                log.Append(1, Payload(i));
                if (i % 3 == 0)
                {
                    log.Rotate(); // segments 1-3, 4-6, 7-9, then the current one from 10
                }
            }

            log.RemoveSegmentsUpTo(5);
            Assert.Equal(3, SegmentFiles().Length); // 4-6 still holds 6 > 5
            log.RemoveSegmentsUpTo(6);
            Assert.Equal(2, SegmentFiles().Length);
            log.RemoveSegmentsUpTo(long.MaxValue);
            Assert.Single(SegmentFiles()); // never the current segment
        }

        await using var reopened = Open(9, out var replayed);
        Assert.Empty(replayed);
        Assert.Equal(9, reopened.LastLsn);
    }

    [Fact]
    public async Task Open_TornTail_TruncatesAndKeepsWorking()
    {
        await WriteRecords(5);
        var last = SegmentFiles().Last();
        var length = new FileInfo(last).Length;
        using (var stream = new FileStream(last, FileMode.Open))
        {
            stream.SetLength(length - 7); // cut inside record 5
        }

        await using (var log = Open(0, out var replayed))
        {
            Assert.Equal([1L, 2, 3, 4], replayed.Select(r => r.Lsn));
            Assert.Equal(5, log.Append(1, Payload(5)));
            await log.FlushAsync();
        }

        await using var again = Open(0, out var all);
        Assert.Equal([1L, 2, 3, 4, 5], all.Select(r => r.Lsn));
        Assert.Equal(Payload(5), all[^1].Payload.ToArray());
    }

    [Fact]
    public async Task Open_ZeroFilledTail_TruncatesAndKeepsWorking()
    {
        await WriteRecords(5);
        var last = SegmentFiles().Last();
        using (var stream = new FileStream(last, FileMode.Append))
        {
            stream.Write(new byte[4096]);
        }

        await using (var log = Open(0, out var replayed))
        {
            Assert.Equal([1L, 2, 3, 4, 5], replayed.Select(r => r.Lsn));
            log.Append(1, Payload(6));
            await log.FlushAsync();
        }

        await using var again = Open(0, out var all);
        Assert.Equal(Enumerable.Range(1, 6).Select(i => (long)i), all.Select(r => r.Lsn));
    }

    [Fact]
    public async Task Open_FlippedByteFollowedByValidRecords_ThrowsNamingFileAndKeepsData()
    {
        await WriteRecords(5);
        var segment = SegmentFiles().Last();
        var bytes = File.ReadAllBytes(segment);
        var recordSize = Payload(1).Length + 40 + WalTime.Length; // framing, then the append time before the payload
        bytes[32 + recordSize + 25] ^= 0x5A; // inside record 2's ciphertext; records 3-5 follow intact
        File.WriteAllBytes(segment, bytes);

        var e = Assert.Throws<StorageCorruptedException>(() => Open(0, out _));
        Assert.Contains(Path.GetFileName(segment), e.Message);
        Assert.Contains($"offset {32 + recordSize}", e.Message);
        Assert.Equal(bytes, File.ReadAllBytes(segment)); // nothing truncated
    }

    [Fact]
    public async Task Open_MissingMiddleSegment_ThrowsLsnGap()
    {
        var options = new WalOptions { Policy = DurabilityPolicy.Parse("always") };
        await using (var log = WriteAheadLog.Open(_temp.Path, _key, options, 0, _ => { }))
        {
            for (var i = 1; i <= 6; i++)
            {
                log.Append(1, Payload(i));
                if (i % 2 == 0)
                {
                    log.Rotate();
                }
            }
        }

        File.Delete(SegmentFiles()[1]); // records 3-4
        var e = Assert.Throws<StorageCorruptedException>(() => Open(0, out _));
        Assert.Contains("gap", e.Message);
        Assert.Contains(WalFileName(5), e.Message);
    }

    [Fact]
    public async Task Open_GapBetweenAfterLsnAndFirstRecord_Throws()
    {
        await WriteRecords(6);
        Directory.EnumerateFiles(_temp.Path).ToList().ForEach(File.Delete);
        await using (var log = Open(10, out _))
        {
            log.Append(1, Payload(11));
            await log.FlushAsync();
        }

        var e = Assert.Throws<StorageCorruptedException>(() => Open(7, out _)); // the checkpoint has 1-7, the log starts at 11
        Assert.Contains("found 11 but the next record to replay is 8", e.Message);
    }

    [Fact]
    public async Task Open_WrongDataKey_Throws()
    {
        await WriteRecords(2);
        using var other = DataKey.Generate();
        var e = Assert.Throws<StorageCorruptedException>(
            () => WriteAheadLog.Open(_temp.Path, other, new WalOptions(), 0, _ => { }));
        Assert.Contains("does not decrypt with this data key", e.Message);
    }

    private static byte[] Payload(int i) => Encoding.UTF8.GetBytes($"record-{i:D4}");

    private static string WalFileName(long lsn) => $"wal-{lsn:D20}.seg";

    private string[] SegmentFiles() => Directory.GetFiles(_temp.Path, "wal-*.seg").Order(StringComparer.Ordinal).ToArray();

    private WriteAheadLog Open(long afterLsn, out List<WalRecord> replayed)
    {
        var list = new List<WalRecord>();
        replayed = list;
        return WriteAheadLog.Open(_temp.Path, _key, new WalOptions { Policy = DurabilityPolicy.Parse("always") }, afterLsn, list.Add);
    }

    private async Task WriteRecords(int count)
    {
        await using var log = Open(0, out _);
        for (var i = 1; i <= count; i++)
        {
            log.Append(1, Payload(i));
        }

        await log.FlushAsync();
    }
}
