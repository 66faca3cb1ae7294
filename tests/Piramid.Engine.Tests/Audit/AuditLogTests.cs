using Piramid.Engine.Audit;
using Piramid.Engine.Crypto;
using Piramid.Engine.Tests.Storage;

namespace Piramid.Engine.Tests.Audit;

public sealed class AuditLogTests : IDisposable
{
    private readonly TempDirectory _temp = new();
    private readonly DataKey _key = DataKey.Generate();
    private readonly ManualTimeProvider _time = new();
    private long _appended;

    public void Dispose()
    {
        _key.Dispose();
        _temp.Dispose();
    }

    [Fact]
    public void Append_AcrossReopens_ContinuesSequenceAndVerifies()
    {
        WriteEntries(4);
        WriteEntries(4);
        using var log = AuditLog.Open(_temp.Path, _key, _time);
        var entries = log.Read().ToList();

        Assert.Equal(Enumerable.Range(1, 8).Select(i => (long)i), entries.Select(e => e.Sequence));
        Assert.Equal(new AuditEntry(3, entries[2].Time, "user-3", "points.upsert", "docs", "ok", null), entries[2]);
        Assert.Equal(2, Directory.GetFiles(_temp.Path).Length); // one segment per open that appended
        Assert.Equal(new AuditVerification(true, 8, null, null), AuditVerifier.Verify(_temp.Path, _key));
    }

    [Fact]
    public void Read_TimeRange_ReturnsOnlyEntriesInside()
    {
        using var log = AuditLog.Open(_temp.Path, _key, _time);
        var start = _time.GetUtcNow();
        for (var i = 0; i < 5; i++)
        {
            log.Append("u", "op", null, "ok", $"req-{i}");
            _time.Advance(TimeSpan.FromMinutes(1));
        }

        var inside = log.Read(start.AddMinutes(1), start.AddMinutes(3)).Select(e => e.RequestId);
        Assert.Equal(["req-1", "req-2", "req-3"], inside);
    }

    [Fact]
    public void AVersion1Log_AppendedInVersion2_ReadsAndVerifies_AcrossTheFormats()
    {
        using (var old = AuditLog.Open(_temp.Path, _key, _time))
        {
            old.WriteVersion = AuditEntryCodec.Version1; // as an engine before format 2 wrote it
            old.Append("key:a", "points.upsert", "docs", "ok", "r1");
            old.Append("key:a", "collections.create", "docs", "ok", "r2");
        }

        using (var log = AuditLog.Open(_temp.Path, _key, _time))
        {
            Assert.Equal(3, log.Append("key:b", "points.upsert", "docs", "ok", "r3", lsn: 41, points: 7).Sequence);
            Assert.Equal(4, log.Append("key:b", "points.delete", "docs", "error:400", "r4").Sequence);
            var chain = log.ReadAfter(0, 10);
            Assert.Equal([1, 1, 2, 2], chain.Select(e => e.Format));
            Assert.Equal((41L, 7L), (chain[2].Entry.Lsn!.Value, chain[2].Entry.Points!.Value));
            Assert.Null(chain[3].Entry.Lsn);
            Assert.Equal(chain[1].Hash, chain[2].PreviousHash); // the chain runs across the formats
        }

        Assert.Equal(new AuditVerification(true, 4, null, null), AuditVerifier.Verify(_temp.Path, _key));
        var payloads = Directory.GetFiles(_temp.Path).Order(StringComparer.Ordinal).SelectMany(f => AuditSegments.ReadPayloads(f, _key)).ToList();
        Assert.Equal([1, 1, 2, 2], payloads.Select(p => (int)p[0]));
    }

    [Theory]
    [InlineData("lsn")]
    [InlineData("points")]
    [InlineData("none")] // both removed: what a version 1 entry would say
    [InlineData("downgrade")] // relabelled as version 1 without them
    public void Verify_EditedLsnOrPoints_IsCaughtAtThatEntry(string edit)
    {
        var segment = WriteEntries(8, lsnAndPoints: true);
        var payloads = AuditSegments.ReadPayloads(segment, _key);
        var original = AuditEntryCodec.TryDecode(payloads[4])!;
        var entry = original.Entry;
        payloads[4] = edit switch
        {
            "lsn" => AuditEntryCodec.Encode(entry with { Lsn = entry.Lsn + 1 }, original.PreviousHash, original.Hash),
            "points" => AuditEntryCodec.Encode(entry with { Points = 0 }, original.PreviousHash, original.Hash),
            "none" => AuditEntryCodec.Encode(entry with { Lsn = null, Points = null }, original.PreviousHash, original.Hash),
            _ => AuditEntryCodec.Encode(entry with { Lsn = null, Points = null }, original.PreviousHash, original.Hash, AuditEntryCodec.Version1),
        };
        AuditSegments.Rewrite(segment, _key, payloads);

        var result = AuditVerifier.Verify(_temp.Path, _key);
        Assert.Equal(5, result.FirstBadSequence);
        Assert.Contains("does not match its hash", result.Problem);
    }

    [Fact]
    public void Verify_EditedEntry_ReportsItsSequence()
    {
        var segment = WriteEntries(8);
        var payloads = AuditSegments.ReadPayloads(segment, _key);
        var original = AuditEntryCodec.TryDecode(payloads[4])!;
        var edited = original.Entry with { Outcome = "denied" };
        payloads[4] = AuditEntryCodec.Encode(edited, original.PreviousHash, original.Hash); // keeps the old hash
        AuditSegments.Rewrite(segment, _key, payloads);

        var result = AuditVerifier.Verify(_temp.Path, _key);
        Assert.False(result.IsValid);
        Assert.Equal(5, result.FirstBadSequence);
        Assert.Equal(4, result.EntriesChecked);
        Assert.Contains("does not match its hash", result.Problem);
    }

    [Fact]
    public void Verify_EditedEntryWithRecomputedHash_ReportsTheBrokenLinkAfterIt()
    {
        var segment = WriteEntries(8);
        var payloads = AuditSegments.ReadPayloads(segment, _key);
        var original = AuditEntryCodec.TryDecode(payloads[4])!;
        payloads[4] = AuditEntryCodec.Encode(original.Entry with { Principal = "someone-else" }, original.PreviousHash);
        AuditSegments.Rewrite(segment, _key, payloads);

        var result = AuditVerifier.Verify(_temp.Path, _key);
        Assert.Equal(6, result.FirstBadSequence); // entry 5 is self-consistent; entry 6 no longer links to it
        Assert.Contains("does not link to the previous entry's hash", result.Problem);
    }

    [Fact]
    public void Verify_InsertedEntry_ReportsThePositionAfterTheLastGoodEntry()
    {
        var segment = WriteEntries(8);
        var payloads = AuditSegments.ReadPayloads(segment, _key);
        payloads.Insert(5, payloads[2]); // a replayed copy of entry 3 placed after entry 5
        AuditSegments.Rewrite(segment, _key, payloads);

        var result = AuditVerifier.Verify(_temp.Path, _key);
        Assert.Equal(6, result.FirstBadSequence);
        Assert.Contains("found entry 3", result.Problem);
    }

    [Fact]
    public void Verify_ForgedEntryWithValidChain_IsCaughtAtTheEntryItDisplaces()
    {
        var segment = WriteEntries(8);
        var payloads = AuditSegments.ReadPayloads(segment, _key);
        var fifth = AuditEntryCodec.TryDecode(payloads[4])!;
        var forged = new AuditEntry(6, fifth.Entry.Time, "attacker", "collections.delete", "docs", "ok", null);
        payloads.Insert(5, AuditEntryCodec.Encode(forged, fifth.Hash)); // links correctly to entry 5
        AuditSegments.Rewrite(segment, _key, payloads);

        var result = AuditVerifier.Verify(_temp.Path, _key);
        Assert.Equal(7, result.FirstBadSequence); // the real entry 6 now sits where 7 belongs
        Assert.Equal(6, result.EntriesChecked);
    }

    [Fact]
    public void Verify_RemovedEntry_ReportsTheMissingSequence()
    {
        var segment = WriteEntries(8);
        var payloads = AuditSegments.ReadPayloads(segment, _key);
        payloads.RemoveAt(5); // entry 6
        AuditSegments.Rewrite(segment, _key, payloads);

        var result = AuditVerifier.Verify(_temp.Path, _key);
        Assert.Equal(6, result.FirstBadSequence);
        Assert.Contains("entry 6 is missing", result.Problem);
    }

    [Fact]
    public void Verify_RemovedSegment_ReportsTheMissingSequence()
    {
        WriteEntries(3);
        var second = WriteEntries(3);
        WriteEntries(3);
        File.Delete(second);

        var result = AuditVerifier.Verify(_temp.Path, _key);
        Assert.Equal(4, result.FirstBadSequence);
        Assert.Equal(3, result.EntriesChecked);
    }

    [Fact]
    public void Verify_WrongKey_IsInvalid()
    {
        WriteEntries(2);
        using var other = DataKey.Generate();

        var result = AuditVerifier.Verify(_temp.Path, other);
        Assert.Equal(1, result.FirstBadSequence);
        Assert.Contains("does not decrypt with this data key", result.Problem);
    }

    [Theory]
    [InlineData(10)] // inside the file header: created, never written
    [InlineData(-7)] // inside the last entry: an append cut short
    public void Verify_AndOpen_AgreeOnATornNewestSegment(int keep)
    {
        WriteEntries(3);
        var newest = WriteEntries(2);
        var length = new FileInfo(newest).Length;
        using (var handle = File.OpenHandle(newest, FileMode.Open, FileAccess.Write))
        {
            RandomAccess.SetLength(handle, keep > 0 ? keep : length + keep);
        }

        var expected = keep > 0 ? 3 : 4;
        Assert.Equal(new AuditVerification(true, expected, null, null), AuditVerifier.Verify(_temp.Path, _key));
        using (var log = AuditLog.Open(_temp.Path, _key, _time))
        {
            Assert.Equal(expected + 1, log.Append("u", "op", null, "ok", null).Sequence);
        }

        Assert.Equal(new AuditVerification(true, expected + 1, null, null), AuditVerifier.Verify(_temp.Path, _key));
    }

    [Fact]
    public void Verify_TornSegmentBeforeTheNewest_IsDamage()
    {
        WriteEntries(3);
        var middle = WriteEntries(2);
        WriteEntries(2);
        using (var handle = File.OpenHandle(middle, FileMode.Open, FileAccess.Write))
        {
            RandomAccess.SetLength(handle, new FileInfo(middle).Length - 7);
        }

        var result = AuditVerifier.Verify(_temp.Path, _key);
        Assert.Equal(5, result.FirstBadSequence);
        Assert.Contains("incomplete record", result.Problem);
    }

    // Appends count entries in a fresh open; returns that open's segment file.
    private string WriteEntries(int count, bool lsnAndPoints = false)
    {
        var before = Directory.GetFiles(_temp.Path).ToHashSet();
        using (var log = AuditLog.Open(_temp.Path, _key, _time))
        {
            for (var i = 0; i < count; i++)
            {
                _appended++;
                var entry = lsnAndPoints
                    ? log.Append($"user-{_appended}", "points.upsert", "docs", "ok", null, lsn: 100 + _appended, points: _appended % 3)
                    : log.Append($"user-{_appended}", "points.upsert", "docs", "ok", null);
                Assert.Equal(_appended, entry.Sequence);
            }

            log.Flush();
        }

        return Directory.GetFiles(_temp.Path).Single(f => !before.Contains(f));
    }
}
