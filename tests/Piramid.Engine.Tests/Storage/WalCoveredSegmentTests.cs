using Piramid.Engine.Crypto;
using Piramid.Engine.Storage;
using Piramid.TestKit.Time;

namespace Piramid.Engine.Tests.Storage;

/// <summary>
/// Segments a checkpoint holds whole are read at open by their first and last records only (<see cref="CoveredSegment"/>):
/// the open must still report exactly what a full scan reports, whatever the records' sizes and the checkpoint's place.
/// </summary>
public sealed class WalCoveredSegmentTests : IDisposable
{
    private static readonly DateTimeOffset Start = new(2026, 12, 7, 9, 0, 0, TimeSpan.Zero);
    private readonly TempDirectory _temp = new();
    private readonly DataKey _key = DataKey.Generate();

    public void Dispose()
    {
        _key.Dispose();
        _temp.Dispose();
    }

    [Theory]
    [InlineData(1)]
    [InlineData(2)]
    [InlineData(3)]
    [InlineData(4)]
    [InlineData(5)]
    public async Task Open_AfterAnyCheckpoint_ReportsTheSegmentsAFullScanReports_AndReplaysTheRest(int seed)
    {
        var random = new Random(seed);
        var total = await WriteLogAsync(random, records: 60);
        var full = await SegmentsAsync(afterLsn: 0, replayedFrom: 1, total);
        for (var afterLsn = 1L; afterLsn <= total; afterLsn += 1 + random.Next(7))
        {
            Assert.Equal(full, await SegmentsAsync(afterLsn, replayedFrom: afterLsn + 1, total));
        }

        Assert.Equal(full, await SegmentsAsync(total, replayedFrom: total + 1, total));
    }

    [Fact]
    public async Task Open_ACoveredSegmentsMiddleRecordDamaged_IsNotRead_WhileTheSameDamageUncoveredIsRefused()
    {
        var total = await WriteEvenLogAsync();
        var first = Directory.GetFiles(_temp.Path, "wal-*.seg").Order(StringComparer.Ordinal).First();
        var bytes = await File.ReadAllBytesAsync(first);
        bytes[bytes.Length / 2] ^= 0x40;
        await File.WriteAllBytesAsync(first, bytes);

        // Covered: the checkpoint holds it, so only its ends are read (the damage is found when a restore replays it).
        await using (var log = WriteAheadLog.Open(_temp.Path, _key, new WalOptions(), total, _ => { }))
        {
            Assert.Equal(first, log.SealedSegments()[0].Path);
        }

        // Not covered: every record is read and the damage refuses the open, as before.
        Assert.Throws<StorageCorruptedException>(() => WriteAheadLog.Open(_temp.Path, _key, new WalOptions(), 0, _ => { }));
    }

    [Fact]
    public async Task Open_ACoveredSegmentWithGarbageAtItsEnd_GoesToTheFullScan_WhichRefusesIt()
    {
        var total = await WriteEvenLogAsync();
        var first = Directory.GetFiles(_temp.Path, "wal-*.seg").Order(StringComparer.Ordinal).First();
        await File.AppendAllBytesAsync(first, new byte[] { 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16, 17, 18, 19, 20, 21, 22, 23, 24, 25, 26, 27, 28, 29, 30, 31, 32, 33, 34, 35, 36, 37, 38, 39, 40, 41 });

        // Valid records follow in the next segments: corruption inside the log, not a torn tail.
        var refused = Assert.Throws<StorageCorruptedException>(() => WriteAheadLog.Open(_temp.Path, _key, new WalOptions(), total, _ => { }));
        Assert.Contains("Valid records follow", refused.Message, StringComparison.Ordinal);
    }

    // Records of random sizes (empty to 300 KiB, so the last record is sometimes larger than what a small tail would
    // hold), sealed into segments at random places; returns the last LSN.
    private async Task<long> WriteLogAsync(Random random, int records)
    {
        var clock = new ManualClock(Start);
        var options = new WalOptions { Policy = DurabilityPolicy.Parse("always"), Time = clock };
        await using var log = WriteAheadLog.Open(_temp.Path, _key, options, 0, _ => { });
        var lsn = 0L;
        for (var i = 0; i < records; i++)
        {
            clock.Advance(TimeSpan.FromMilliseconds(1 + random.Next(1_000)));
            var payload = new byte[random.Next(4) == 0 ? random.Next(300 * 1024) : random.Next(64)];
            random.NextBytes(payload);
            lsn = log.Append(1, payload);
            await log.WaitDurableAsync(lsn);
            if (random.Next(6) == 0)
            {
                log.Seal();
            }
        }

        log.Seal();
        return lsn;
    }

    // Three segments of ten 100-byte records each: the middle of the first segment is a middle record's.
    private async Task<long> WriteEvenLogAsync()
    {
        await using var log = WriteAheadLog.Open(_temp.Path, _key, new WalOptions { Policy = DurabilityPolicy.Parse("always") }, 0, _ => { });
        var lsn = 0L;
        for (var i = 0; i < 30; i++)
        {
            lsn = log.Append(1, new byte[100]);
            await log.WaitDurableAsync(lsn);
            if (i % 10 == 9)
            {
                log.Seal();
            }
        }

        return lsn;
    }

    private async Task<List<string>> SegmentsAsync(long afterLsn, long replayedFrom, long total)
    {
        var replayed = new List<long>();
        await using var log = WriteAheadLog.Open(_temp.Path, _key, new WalOptions(), afterLsn, r => replayed.Add(r.Lsn));
        Assert.Equal(Enumerable.Range((int)replayedFrom, (int)(total - replayedFrom + 1)).Select(i => (long)i), replayed);
        return [.. log.SealedSegments().Select(s => $"{Path.GetFileName(s.Path)} {s.FirstLsn}-{s.LastLsn} {s.Bytes} B {s.FirstTimeMs}-{s.LastTimeMs}")];
    }
}
