using Piramid.Engine.Crypto;

namespace Piramid.Engine.Storage;

/// <summary>
/// Reads a sealed WAL segment that must be whole (a snapshot's or a restore's copy): any damage, including a torn
/// tail, and any LSN out of sequence throws <see cref="StorageCorruptedException"/> naming the file.
/// </summary>
internal static class WalSegmentReader
{
    /// <summary>Visits the records in order until <paramref name="visit"/> returns false; returns how many it accepted.</summary>
    public static int Read(string path, string displayName, DataKey key, Func<WalRecord, bool> visit)
    {
        if (!WalSegment.TryParseName(path, out var firstLsn))
        {
            throw new StorageCorruptedException($"{displayName}: not a WAL segment name.");
        }

        var expected = firstLsn;
        var scan = RecordScanner.Scan(displayName, File.ReadAllBytes(path), key, FileKind.Wal, TornTail.Fail, record =>
        {
            if (record.Frame.Lsn != expected)
            {
                throw new StorageCorruptedException(
                    $"{displayName}: record at offset {record.Frame.Offset} has LSN {record.Frame.Lsn}, expected {expected}.");
            }

            expected++;
            return visit(WalTime.Decode(record.Frame.Lsn, record.Frame.Type, record.Payload, displayName, record.Frame.Offset));
        });
        scan.ThrowIfDamaged();
        if (scan.Records == 0 && scan.Outcome == ScanOutcome.Clean)
        {
            throw new StorageCorruptedException($"{displayName}: the segment holds no record.");
        }

        return scan.Records;
    }
}
