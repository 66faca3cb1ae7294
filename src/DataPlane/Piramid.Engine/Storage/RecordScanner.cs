using Piramid.Engine.Crypto;

namespace Piramid.Engine.Storage;

/// <summary>
/// The one record-scan loop of every encrypted file (WAL segments, checkpoints, manifests, audit segments): checks
/// the file header, frames and decrypts record after record, hands each to a visitor, and stops at the first
/// problem, which <see cref="TornTail"/> classifies. A torn tail is damage after which no valid record follows
/// anywhere in the file; anything else is corruption and is never repaired. Rules in docs/design/wal.md.
/// </summary>
internal static class RecordScanner
{
    /// <summary>
    /// Scans <paramref name="data"/>, the content of <paramref name="path"/>. <paramref name="visit"/> sees the intact
    /// records in order and returns false to stop the scan (its caller then knows why). Never throws for damage; the
    /// visitor may throw.
    /// </summary>
    /// <param name="decrypts">
    /// Whether the visitor needs a record's clear payload (null: every record's). A record it does not need is checked
    /// by its two checksums only and handed over undecrypted (<see cref="ScannedRecord.Decrypted"/> false, an empty
    /// payload): the log's open skips the records a checkpoint holds this way. The file's first record is always
    /// decrypted, so a wrong key is still found.
    /// </param>
    public static RecordScan Scan(
        string path, ReadOnlySpan<byte> data, DataKey key, FileKind kind, TornTail tail, Func<ScannedRecord, bool> visit, Func<RecordFrame, bool>? decrypts = null)
    {
        ArgumentNullException.ThrowIfNull(key);
        ArgumentNullException.ThrowIfNull(visit);
        if (RecordFormat.CheckFileHeader(data, kind, out var salt) is { } problem)
        {
            return Damage(data, 0, 0, tail, $"{path}: {problem} at offset 0.");
        }

        using var cipher = key.CreateFileCipher(kind, salt);
        var offset = RecordFormat.FileHeaderLength;
        var count = 0;
        while (offset < data.Length)
        {
            var status = RecordFormat.TryFrame(data, offset, out var frame);
            if (status != RecordStatus.Ok)
            {
                return Damage(data, count, offset, tail, Describe(path, offset, status));
            }

            if (count > 0 && decrypts is not null && !decrypts(frame))
            {
                if (!visit(new ScannedRecord(frame, [], count, Decrypted: false)))
                {
                    return new RecordScan(count, offset, ScanOutcome.Stopped, null);
                }

                count++;
                offset = frame.End;
                continue;
            }

            var payload = frame.PayloadLength == 0 ? [] : new byte[frame.PayloadLength];
            if (!RecordFormat.TryDecrypt(cipher, (ulong)count, data, frame, payload))
            {
                return new RecordScan(count, offset, ScanOutcome.WrongKey, DescribeWrongKey(path, offset));
            }

            if (!visit(new ScannedRecord(frame, payload, count)))
            {
                return new RecordScan(count, offset, ScanOutcome.Stopped, null);
            }

            count++;
            offset = frame.End;
        }

        return new RecordScan(count, offset, ScanOutcome.Clean, null);
    }

    /// <summary>
    /// Decrypts one record a scan of the same <paramref name="data"/> handed over undecrypted; throws
    /// <see cref="StorageCorruptedException"/> when it does not decrypt.
    /// </summary>
    public static byte[] Decrypt(string path, ReadOnlySpan<byte> data, DataKey key, FileKind kind, ScannedRecord record)
    {
        if (RecordFormat.CheckFileHeader(data, kind, out var salt) is { } problem)
        {
            throw new StorageCorruptedException($"{path}: {problem} at offset 0.");
        }

        using var cipher = key.CreateFileCipher(kind, salt);
        var payload = record.Frame.PayloadLength == 0 ? [] : new byte[record.Frame.PayloadLength];
        return RecordFormat.TryDecrypt(cipher, (ulong)record.Index, data, record.Frame, payload)
            ? payload
            : throw new StorageCorruptedException(DescribeWrongKey(path, record.Frame.Offset));
    }

    /// <summary>Reads every record of a file that must be whole; any damage throws <see cref="StorageCorruptedException"/>.</summary>
    public static List<ScannedRecord> ReadAll(string path, byte[] data, DataKey key, FileKind kind)
    {
        var records = new List<ScannedRecord>();
        Scan(path, data, key, kind, TornTail.Fail, record =>
        {
            records.Add(record);
            return true;
        }).ThrowIfDamaged();
        return records;
    }

    /// <summary>
    /// Cuts the torn tail a <see cref="TornTail.Stop"/> scan found off <paramref name="path"/>, durably: the file
    /// ends after its last intact record, or is deleted when it holds none (its name is then free again).
    /// </summary>
    public static void CutTornTail(string path, RecordScan scan)
    {
        if (scan.Outcome != ScanOutcome.TornTail)
        {
            throw new ArgumentException($"The scan of {path} found no torn tail ({scan.Outcome}).", nameof(scan));
        }

        if (scan.Records == 0)
        {
            File.Delete(path);
            return;
        }

        using var handle = File.OpenHandle(path, FileMode.Open, FileAccess.ReadWrite, FileShare.Read);
        RandomAccess.SetLength(handle, scan.IntactEnd);
        RandomAccess.FlushToDisk(handle);
    }

    /// <summary>Message for a record that fails framing.</summary>
    public static string Describe(string path, int offset, RecordStatus status) => status switch
    {
        RecordStatus.Truncated => $"{path}: incomplete record at offset {offset} (file ends inside it).",
        RecordStatus.BadHeaderChecksum => $"{path}: record header checksum mismatch at offset {offset}.",
        RecordStatus.BadLength => $"{path}: impossible record length or reserved bytes at offset {offset}.",
        _ => $"{path}: record checksum mismatch at offset {offset}.",
    };

    /// <summary>Message for a record that frames but does not decrypt.</summary>
    public static string DescribeWrongKey(string path, int offset) =>
        $"{path}: record at offset {offset} does not decrypt with this data key " +
        "(wrong data key for this directory, or the record was altered).";

    // The torn-tail rule, in one place: damage is a torn tail only when no valid record starts after it.
    private static RecordScan Damage(ReadOnlySpan<byte> data, int records, int offset, TornTail tail, string problem) =>
        tail == TornTail.Stop && !RecordFormat.ValidRecordFollows(data, offset + 1)
            ? new RecordScan(records, offset, ScanOutcome.TornTail, problem)
            : new RecordScan(records, offset, ScanOutcome.Damaged, problem);
}
