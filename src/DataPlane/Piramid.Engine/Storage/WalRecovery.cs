using Piramid.Engine.Crypto;

namespace Piramid.Engine.Storage;

/// <summary>
/// Reads every WAL segment at open, replays records after the checkpoint LSN, and repairs only a torn
/// tail: damage after which no valid record follows anywhere. Everything else throws
/// <see cref="StorageCorruptedException"/>. Rules in docs/design/wal.md.
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
        for (var i = 0; i < files.Count; i++)
        {
            var (path, firstLsn) = files[i];
            var data = File.ReadAllBytes(path);
            var (records, damageAt, damage) = Scan(path, data, key, firstLsn, afterLsn, ref lastSeen, ref nextKept, replay);
            if (damageAt >= 0)
            {
                if (RecordFormat.ValidRecordFollows(data, damageAt + 1) || AnyValidRecord(files, i + 1))
                {
                    throw new StorageCorruptedException(
                        $"{damage} Valid records follow, so this is corruption inside the log, not a torn tail; " +
                        "the collection stays closed. Restore it from a backup or snapshot.");
                }

                // A torn or zero-filled tail: nothing after it was ever acknowledged as durable in one piece.
                Truncate(path, damageAt, records);
                for (var j = i + 1; j < files.Count; j++)
                {
                    File.Delete(files[j].Path);
                }

                changed = true;
                if (records > 0)
                {
                    kept.Add(new ClosedSegment(path, firstLsn, damageAt));
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

            kept.Add(new ClosedSegment(path, firstLsn, data.Length));
        }

        if (changed)
        {
            FileSync.SyncDirectory(directory);
        }

        return (kept, Math.Max(afterLsn, lastSeen));
    }

    // Returns the number of valid records and, on damage, its offset and a message (-1 when clean).
    private static (int Records, int DamageAt, string? Damage) Scan(
        string path, byte[] data, DataKey key, long firstLsn, long afterLsn, ref long lastSeen, ref long nextKept, Action<WalRecord> replay)
    {
        var problem = RecordFormat.CheckFileHeader(data, FileKind.Wal, out var salt);
        if (problem is not null)
        {
            return (0, 0, $"{path}: {problem} at offset 0.");
        }

        using var cipher = key.CreateFileCipher(FileKind.Wal, salt);
        var offset = RecordFormat.FileHeaderLength;
        var count = 0;
        while (offset < data.Length)
        {
            var status = RecordFormat.TryFrame(data, offset, out var frame);
            if (status != RecordStatus.Ok)
            {
                return (count, offset, RecordFileReader.Describe(path, offset, status));
            }

            var payload = frame.PayloadLength == 0 ? [] : new byte[frame.PayloadLength];
            if (!RecordFormat.TryDecrypt(cipher, (ulong)count, data, frame, payload))
            {
                throw new StorageCorruptedException(RecordFileReader.DescribeWrongKey(path, offset));
            }

            var expected = count == 0 ? firstLsn : lastSeen + 1;
            if (frame.Lsn != expected || frame.Lsn <= lastSeen)
            {
                throw new StorageCorruptedException(
                    $"{path}: record at offset {offset} has LSN {frame.Lsn}, expected {expected}; records are missing or out of order.");
            }

            if (frame.Lsn > afterLsn)
            {
                if (frame.Lsn != nextKept)
                {
                    throw new StorageCorruptedException(
                        $"{path}: LSN gap at offset {offset}: found {frame.Lsn} but the next record to replay is {nextKept} " +
                        "(the checkpoint and the log do not meet); records are missing.");
                }

                replay(new WalRecord(frame.Lsn, frame.Type, payload));
                nextKept++;
            }

            lastSeen = frame.Lsn;
            count++;
            offset = frame.End;
        }

        return (count, -1, null);
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

    private static void Truncate(string path, int length, int records)
    {
        if (records == 0)
        {
            File.Delete(path);
            return;
        }

        using var handle = File.OpenHandle(path, FileMode.Open, FileAccess.ReadWrite, FileShare.None);
        RandomAccess.SetLength(handle, length);
        RandomAccess.FlushToDisk(handle);
    }
}
