using Piramid.Engine.Crypto;
using Piramid.Engine.Storage;

namespace Piramid.Engine.Tests.Storage;

/// <summary>
/// Properties of the one record scanner, on seeded random record streams: cut at every offset, or with one bit
/// flipped at every offset, a scan visits exactly the intact prefix and ends as its <see cref="TornTail"/> policy
/// says: a torn tail (no valid record after the damage) stops a <see cref="TornTail.Stop"/> scan cleanly; any
/// other damage, and every damage under <see cref="TornTail.Fail"/>, is reported with the file and offset.
/// </summary>
public sealed class RecordScannerTests : IDisposable
{
    private readonly DataKey _key = DataKey.Generate();

    public void Dispose() => _key.Dispose();

    [Theory]
    [InlineData(1)]
    [InlineData(2)]
    [InlineData(3)]
    public void CutAtEveryOffset_VisitsTheIntactPrefix_AndStopsOrFailsPerPolicy(int seed)
    {
        var (data, payloads, ends) = Stream(seed);
        for (var cut = 0; cut <= data.Length; cut++)
        {
            var file = data[..cut];
            var intact = ends.Count(end => end <= cut);
            var boundary = cut < RecordFormat.FileHeaderLength ? 0 : intact == 0 ? RecordFormat.FileHeaderLength : ends[intact - 1];
            var clean = cut == boundary && cut >= RecordFormat.FileHeaderLength;

            var (stop, stopSeen) = Scan(file, TornTail.Stop);
            Assert.Equal(clean ? ScanOutcome.Clean : ScanOutcome.TornTail, stop.Outcome);
            Assert.Equal(intact, stop.Records);
            Assert.Equal(boundary, stop.IntactEnd);
            Assert.Equal(payloads[..intact], stopSeen);

            var (fail, failSeen) = Scan(file, TornTail.Fail);
            Assert.Equal(clean ? ScanOutcome.Clean : ScanOutcome.Damaged, fail.Outcome);
            Assert.Equal(intact, fail.Records);
            Assert.Equal(payloads[..intact], failSeen);
            if (!clean)
            {
                Assert.Contains($"file.bin: ", fail.Problem, StringComparison.Ordinal);
                Assert.Contains($"at offset {boundary}", fail.Problem, StringComparison.Ordinal);
                Assert.Throws<StorageCorruptedException>(() => fail.ThrowIfDamaged());
            }
        }
    }

    [Theory]
    [InlineData(4)]
    [InlineData(5)]
    public void BitFlippedAtEveryOffset_VisitsTheRecordsBeforeIt_TornOnlyInTheLastRecord(int seed)
    {
        var (data, payloads, ends) = Stream(seed);
        var random = new Random(seed);
        for (var at = 0; at < data.Length; at++)
        {
            var file = data.ToArray();
            file[at] ^= (byte)(1 << random.Next(8));
            var header = at < RecordFormat.FileHeaderLength;
            var damaged = header ? 0 : ends.Count(end => end <= at);
            var start = header ? 0 : damaged == 0 ? RecordFormat.FileHeaderLength : ends[damaged - 1];
            var last = header ? payloads.Length == 0 : damaged == payloads.Length - 1;

            var (stop, stopSeen) = Scan(file, TornTail.Stop);
            Assert.Equal(last ? ScanOutcome.TornTail : ScanOutcome.Damaged, stop.Outcome);
            Assert.Equal(damaged, stop.Records);
            Assert.Equal(start, stop.IntactEnd);
            Assert.Equal(payloads[..damaged], stopSeen);

            var (fail, failSeen) = Scan(file, TornTail.Fail);
            Assert.Equal(ScanOutcome.Damaged, fail.Outcome);
            Assert.Equal(payloads[..damaged], failSeen);
            Assert.Contains($"at offset {start}", fail.Problem, StringComparison.Ordinal);
        }
    }

    [Fact]
    public void AnotherKey_IsWrongKeyUnderEitherPolicy_NeverATornTail()
    {
        var (data, _, _) = Stream(6);
        using var other = DataKey.Generate();
        foreach (var tail in new[] { TornTail.Stop, TornTail.Fail })
        {
            var scan = RecordScanner.Scan("file.bin", data, other, FileKind.Wal, tail, _ => true);
            Assert.Equal(ScanOutcome.WrongKey, scan.Outcome);
            Assert.Equal(0, scan.Records);
            Assert.Contains("does not decrypt with this data key", scan.Problem, StringComparison.Ordinal);
        }
    }

    [Fact]
    public void VisitorReturningFalse_StopsBeforeThatRecord()
    {
        var (data, payloads, ends) = Stream(7);
        var scan = RecordScanner.Scan("file.bin", data, _key, FileKind.Wal, TornTail.Fail, record => record.Index < 2);
        Assert.Equal(ScanOutcome.Stopped, scan.Outcome);
        Assert.Equal(2, scan.Records);
        Assert.Equal(ends[1], scan.IntactEnd);
        Assert.True(payloads.Length > 2);
    }

    [Fact]
    public void CutTornTail_LeavesAFileThatScansClean_OrDeletesAFileWithoutRecords()
    {
        using var temp = new TempDirectory();
        var (data, payloads, ends) = Stream(8);
        var path = temp.Combine("segment");
        File.WriteAllBytes(path, data[..(ends[^1] - 3)]);
        var torn = RecordScanner.Scan(path, File.ReadAllBytes(path), _key, FileKind.Wal, TornTail.Stop, _ => true);
        RecordScanner.CutTornTail(path, torn);
        var after = RecordScanner.Scan(path, File.ReadAllBytes(path), _key, FileKind.Wal, TornTail.Fail, _ => true);
        Assert.Equal(ScanOutcome.Clean, after.Outcome);
        Assert.Equal(payloads.Length - 1, after.Records);
        Assert.Equal(ends[^2], new FileInfo(path).Length);

        File.WriteAllBytes(path, data[..(RecordFormat.FileHeaderLength + 5)]);
        RecordScanner.CutTornTail(path, RecordScanner.Scan(path, File.ReadAllBytes(path), _key, FileKind.Wal, TornTail.Stop, _ => true));
        Assert.False(File.Exists(path));
        Assert.Throws<ArgumentException>(() => RecordScanner.CutTornTail(path, after));
    }

    // A WAL-kind file of 1..12 records of 0..200 random bytes; the end offset of each record.
    private (byte[] Data, byte[][] Payloads, int[] Ends) Stream(int seed)
    {
        var random = new Random(seed);
        var payloads = Enumerable.Range(0, random.Next(1, 13)).Select(_ =>
        {
            var payload = new byte[random.Next(0, 201)];
            random.NextBytes(payload);
            return payload;
        }).ToArray();
        var salt = new byte[RecordFormat.SaltLength];
        random.NextBytes(salt);
        var data = new byte[RecordFormat.FileHeaderLength + payloads.Sum(p => p.Length + RecordFormat.RecordOverhead)];
        RecordFormat.WriteFileHeader(data, FileKind.Wal, salt);
        using var cipher = _key.CreateFileCipher(FileKind.Wal, salt);
        var ends = new int[payloads.Length];
        var offset = RecordFormat.FileHeaderLength;
        for (var i = 0; i < payloads.Length; i++)
        {
            var length = payloads[i].Length + RecordFormat.RecordOverhead;
            RecordFormat.Encrypt(cipher, (ulong)i, i + 1, 1, payloads[i], data.AsSpan(offset, length));
            offset += length;
            ends[i] = offset;
        }

        return (data, payloads, ends);
    }

    private (RecordScan Scan, List<byte[]> Seen) Scan(byte[] file, TornTail tail)
    {
        var seen = new List<byte[]>();
        var scan = RecordScanner.Scan("file.bin", file, _key, FileKind.Wal, tail, record =>
        {
            seen.Add(record.Payload);
            return true;
        });
        return (scan, seen);
    }
}
