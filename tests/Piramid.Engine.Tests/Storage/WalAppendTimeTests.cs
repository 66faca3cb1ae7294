using Piramid.Engine.Crypto;
using Piramid.Engine.Storage;
using Piramid.TestKit.Time;

namespace Piramid.Engine.Tests.Storage;

/// <summary>Append times of WAL records (docs/design/wal.md, "Append times"), and segments written before them.</summary>
public sealed class WalAppendTimeTests : IDisposable
{
    private static readonly DateTimeOffset Start = new(2026, 12, 6, 9, 0, 0, TimeSpan.Zero);
    private readonly TempDirectory _temp = new();
    private readonly DataKey _key = DataKey.Generate();

    public void Dispose()
    {
        _key.Dispose();
        _temp.Dispose();
    }

    [Fact]
    public async Task Append_StampsEveryRecord_AndTimesNeverGoBackAlongLsns()
    {
        var clock = new ManualClock(Start);
        var options = new WalOptions { Policy = DurabilityPolicy.Parse("always"), Time = clock };
        var expected = new List<long>();
        await using (var log = WriteAheadLog.Open(_temp.Path, _key, options, 0, _ => { }))
        {
            for (var i = 0; i < 20; i++)
            {
                // The clock steps back every fifth record (an NTP correction): the stamp must not.
                clock.Advance(i % 5 == 4 ? TimeSpan.FromSeconds(-3) : TimeSpan.FromMilliseconds(250));
                var lsn = log.Append(1, [(byte)i]);
                expected.Add(Math.Max(clock.GetUtcNow().ToUnixTimeMilliseconds(), expected.Count == 0 ? 0 : expected[^1]));
                await log.WaitDurableAsync(lsn);
                if (i == 9)
                {
                    Assert.Equal(10, log.Seal());
                }
            }
        }

        var replayed = new List<WalRecord>();
        await using (var reopened = WriteAheadLog.Open(_temp.Path, _key, options, 0, replayed.Add))
        {
            Assert.Equal(expected, replayed.Select(r => r.AppendedAtMs));
            Assert.Equal(Enumerable.Range(0, 20).Select(i => new[] { (byte)i }), replayed.Select(r => r.Payload.ToArray()));
            Assert.All(replayed, r => Assert.Equal(1, r.Type));
            var sealedSegments = reopened.SealedSegments();
            Assert.Equal([1L, 11], sealedSegments.Select(s => s.FirstLsn));
            Assert.Equal([10L, 20], sealedSegments.Select(s => s.LastLsn));
            Assert.Equal([expected[0], expected[10]], sealedSegments.Select(s => s.FirstTimeMs));
            Assert.Equal([expected[9], expected[19]], sealedSegments.Select(s => s.LastTimeMs));
        }
    }

    [Theory]
    [InlineData(20, false)] // a checkpoint holds the whole log: no record is decrypted but each segment's first
    [InlineData(15, false)]
    [InlineData(20, true)] // and the last record before a torn tail, which the open cuts
    public async Task Open_RecordsACheckpointHolds_AreNotReplayed_AndTheSegmentsKeepTheirTimes(long afterLsn, bool tornTail)
    {
        var clock = new ManualClock(Start);
        var options = new WalOptions { Policy = DurabilityPolicy.Parse("always"), Time = clock };
        var times = new List<long>();
        await using (var log = WriteAheadLog.Open(_temp.Path, _key, options, 0, _ => { }))
        {
            for (var i = 0; i < 20; i++)
            {
                clock.Advance(TimeSpan.FromMilliseconds(100 + i));
                await log.WaitDurableAsync(log.Append(1, [(byte)i]));
                times.Add(clock.GetUtcNow().ToUnixTimeMilliseconds());
                if (i == 9)
                {
                    log.Seal();
                }
            }
        }

        if (tornTail)
        {
            var last = Directory.GetFiles(_temp.Path, "wal-*.seg").Max()!;
            await File.AppendAllBytesAsync(last, new byte[] { 7, 7, 7, 7, 7, 7, 7, 7, 7, 7, 7, 7, 7 });
        }

        var replayed = new List<WalRecord>();
        await using var reopened = WriteAheadLog.Open(_temp.Path, _key, options, afterLsn, replayed.Add);
        Assert.Equal(Enumerable.Range((int)afterLsn + 1, 20 - (int)afterLsn).Select(i => (long)i), replayed.Select(r => r.Lsn));
        Assert.Equal(times.Skip((int)afterLsn), replayed.Select(r => r.AppendedAtMs));
        var segments = reopened.SealedSegments();
        Assert.Equal([times[0], times[10]], segments.Select(s => s.FirstTimeMs));
        Assert.Equal([times[9], times[19]], segments.Select(s => s.LastTimeMs));
        Assert.Equal([10L, 20], segments.Select(s => s.LastLsn));
    }

    [Fact]
    public async Task Open_WithAnotherKey_IsRefused_EvenWhenACheckpointHoldsEveryRecord()
    {
        await using (var log = WriteAheadLog.Open(_temp.Path, _key, new WalOptions { Policy = DurabilityPolicy.Parse("always") }, 0, _ => { }))
        {
            for (var i = 0; i < 5; i++)
            {
                await log.WaitDurableAsync(log.Append(1, [(byte)i]));
            }
        }

        using var other = DataKey.Generate();
        Assert.Throws<StorageCorruptedException>(() => WriteAheadLog.Open(_temp.Path, other, new WalOptions(), 5, _ => { }));
    }

    [Fact]
    public async Task Open_SegmentWrittenBeforeAppendTimes_ReplaysUnchangedWithoutTime_ThenAppendsTimed()
    {
        // A segment in the previous format: the caller's type byte and payload, no time.
        WriteUntimedSegment(Path.Combine(_temp.Path, "wal-00000000000000000001.seg"), firstLsn: 1, count: 3);
        var clock = new ManualClock(Start);
        var options = new WalOptions { Policy = DurabilityPolicy.Parse("always"), Time = clock };
        var replayed = new List<WalRecord>();
        await using (var log = WriteAheadLog.Open(_temp.Path, _key, options, 0, replayed.Add))
        {
            Assert.Equal([1L, 2, 3], replayed.Select(r => r.Lsn));
            Assert.All(replayed, r => Assert.Equal(0, r.AppendedAtMs));
            Assert.Equal([2, 2, 2], replayed.Select(r => (int)r.Type));
            Assert.Equal([[1, 1], [2, 2], [3, 3]], replayed.Select(r => r.Payload.ToArray()));
            Assert.Equal(0, log.SealedSegments()[0].LastTimeMs);
            await log.WaitDurableAsync(log.Append(2, [4, 4]));
        }

        replayed.Clear();
        await using var again = WriteAheadLog.Open(_temp.Path, _key, options, 0, replayed.Add);
        Assert.Equal([0L, 0, 0, Start.ToUnixTimeMilliseconds()], replayed.Select(r => r.AppendedAtMs));
        Assert.Equal([4, 4], replayed[3].Payload.ToArray());
        Assert.Equal(2, replayed[3].Type);
    }

    [Fact]
    public async Task Append_TypeWithTheTimeFlag_IsRefused()
    {
        await using var log = WriteAheadLog.Open(_temp.Path, _key, new WalOptions(), 0, _ => { });
        Assert.Throws<ArgumentOutOfRangeException>(() => log.Append(WalTime.TimedFlag | 1, [1]));
    }

    private void WriteUntimedSegment(string path, long firstLsn, int count)
    {
        var salt = RecordFormat.NewSalt();
        using var cipher = _key.CreateFileCipher(FileKind.Wal, salt);
        var bytes = new List<byte>();
        var header = new byte[RecordFormat.FileHeaderLength];
        RecordFormat.WriteFileHeader(header, FileKind.Wal, salt);
        bytes.AddRange(header);
        for (var i = 0; i < count; i++)
        {
            var payload = new[] { (byte)(i + 1), (byte)(i + 1) };
            var record = new byte[payload.Length + RecordFormat.RecordOverhead];
            RecordFormat.Encrypt(cipher, (ulong)i, firstLsn + i, 2, payload, record);
            bytes.AddRange(record);
        }

        File.WriteAllBytes(path, [.. bytes]);
    }
}
