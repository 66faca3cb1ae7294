using Piramid.Engine.Crypto;

namespace Piramid.Engine.Storage;

/// <summary>
/// Reads the WAL segments at open (of those the checkpoint holds whole, only the first and last records:
/// <see cref="CoveredSegment"/>), replays records after the checkpoint LSN, and repairs only a torn tail: damage after
/// which no valid record follows anywhere. Everything else throws <see cref="StorageCorruptedException"/>. Rules in
/// docs/design/wal.md.
/// </summary>
internal static class WalRecovery
{
    public static (List<ClosedSegment> Segments, long LastLsn) Run(string directory, DataKey key, long afterLsn, Action<WalRecord> replay)
    {
        var files = new List<(string Path, long FirstLsn)>();
        foreach (var path in Directory.EnumerateFiles(directory, WalSegment.Prefix + "*" + WalSegment.Suffix))
        {
            if (WalSegment.TryParseName(path, out var firstLsn))
            {
                files.Add((path, firstLsn));
            }
        }

        files.Sort((a, b) => a.FirstLsn.CompareTo(b.FirstLsn));
        var kept = new List<ClosedSegment>(files.Count);
        var lastSeen = 0L;
        var nextKept = afterLsn + 1;
        var changed = false;
        byte[] buffer = []; // one buffer for every segment: a wake reads up to the whole log, into memory it faults in once
        for (var i = 0; i < files.Count; i++)
        {
            var (path, firstLsn) = files[i];
            if (i + 1 < files.Count && files[i + 1].FirstLsn <= afterLsn + 1 && firstLsn > lastSeen
                && CoveredSegment.TryRead(path, firstLsn, files[i + 1].FirstLsn - 1, key) is { } covered)
            {
                // The checkpoint holds the whole segment: its first and last records give its bounds, and its other
                // records are checked when a restore replays them.
                kept.Add(covered);
                lastSeen = covered.LastLsn;
                continue;
            }

            var length = LargeArrays.ReadInto(path, ref buffer); // may replace the buffer: read it after
            var data = buffer.AsSpan(0, length);
            long firstTime = 0, lastTime = 0;
            var scan = Scan(path, data, key, firstLsn, afterLsn, ref lastSeen, ref nextKept, (record, isReplayed) =>
            {
                firstTime = firstTime == 0 ? record.AppendedAtMs : firstTime;
                lastTime = record.AppendedAtMs;
                if (isReplayed)
                {
                    replay(record);
                }
            }, out var lastSkipped);
            if (lastSkipped is { } last)
            {
                // The segment's last record was only framed; the archive needs its time (ClosedSegment.LastAppendedAtMs).
                var payload = RecordScanner.Decrypt(path, data, key, FileKind.Wal, last);
                lastTime = WalTime.Decode(last.Frame.Lsn, last.Frame.Type, payload, path, last.Frame.Offset).AppendedAtMs;
            }

            var records = scan.Records;
            if (scan.Outcome == ScanOutcome.WrongKey)
            {
                throw new StorageCorruptedException(scan.Problem!);
            }

            if (scan.Outcome is ScanOutcome.Damaged || (scan.Outcome is ScanOutcome.TornTail && AnyValidRecord(files, i + 1)))
            {
                throw new StorageCorruptedException(
                    $"{scan.Problem} Valid records follow, so this is corruption inside the log, not a torn tail; " +
                    "the collection stays closed. Restore it from a backup or snapshot.");
            }

            if (scan.Outcome is ScanOutcome.TornTail)
            {
                // A torn or zero-filled tail: nothing after it was ever acknowledged as durable in one piece.
                RecordScanner.CutTornTail(path, scan);
                for (var j = i + 1; j < files.Count; j++)
                {
                    File.Delete(files[j].Path);
                }

                changed = true;
                if (records > 0)
                {
                    kept.Add(new ClosedSegment(path, firstLsn, lastSeen, scan.IntactEnd, firstTime, lastTime));
                }

                break;
            }

            if (records == 0)
            {
                // A segment without records holds nothing; deleting it keeps its name free for the next one.
                File.Delete(path);
                changed = true;
                continue;
            }

            kept.Add(new ClosedSegment(path, firstLsn, lastSeen, data.Length, firstTime, lastTime));
        }

        if (changed)
        {
            FileSync.SyncDirectory(directory);
        }

        return (kept, Math.Max(afterLsn, lastSeen));
    }

    // Scans one segment with the WAL's tail rule, replaying the records after the checkpoint; LSNs that are
    // missing or out of order are corruption whatever the tail policy says. Records the checkpoint holds are framed
    // and checksummed but not decrypted, except the segment's first and last (their times bound the segment for the
    // archive): after a load and a checkpoint that is nearly the whole log, which a wake decrypted for nothing
    // (docs/design/hibernation.md). The last one, when skipped, comes back in lastSkipped.
    private static RecordScan Scan(
        string path, ReadOnlySpan<byte> data, DataKey key, long firstLsn, long afterLsn, ref long lastSeen, ref long nextKept,
        Action<WalRecord, bool> visit, out ScannedRecord? lastSkipped)
    {
        var seen = lastSeen;
        var next = nextKept;
        ScannedRecord? skipped = null;
        var scan = RecordScanner.Scan(path, data, key, FileKind.Wal, TornTail.Stop, record =>
        {
            var frame = record.Frame;
            var expected = record.Index == 0 ? firstLsn : seen + 1;
            if (frame.Lsn != expected || frame.Lsn <= seen)
            {
                throw new StorageCorruptedException(
                    $"{path}: record at offset {frame.Offset} has LSN {frame.Lsn}, expected {expected}; records are missing or out of order.");
            }

            if (!record.Decrypted)
            {
                skipped = record;
                seen = frame.Lsn;
                return true;
            }

            skipped = null;
            var decoded = WalTime.Decode(frame.Lsn, frame.Type, record.Payload, path, frame.Offset);
            var replayed = frame.Lsn > afterLsn;
            if (replayed)
            {
                if (frame.Lsn != next)
                {
                    throw new StorageCorruptedException(
                        $"{path}: LSN gap at offset {frame.Offset}: found {frame.Lsn} but the next record to replay is {next} " +
                        "(the checkpoint and the log do not meet); records are missing.");
                }

                next++;
            }

            visit(decoded, replayed);
            seen = frame.Lsn;
            return true;
        }, frame => frame.Lsn > afterLsn);
        lastSeen = seen;
        nextKept = next;
        lastSkipped = skipped;
        return scan;
    }

    private static bool AnyValidRecord(List<(string Path, long FirstLsn)> files, int from)
    {
        for (var i = from; i < files.Count; i++)
        {
            if (RecordFormat.ValidRecordFollows(File.ReadAllBytes(files[i].Path), 0))
            {
                return true;
            }
        }

        return false;
    }
}
