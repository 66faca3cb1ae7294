using Piramid.Engine.Crypto;

namespace Piramid.Engine.Storage;

/// <summary>A decrypted record of a strictly read file.</summary>
internal readonly record struct DecodedRecord(RecordFrame Frame, byte[] Payload);

/// <summary>
/// Reads a whole record file strictly: any damage, including an incomplete last record, throws
/// <see cref="StorageCorruptedException"/> naming the file and offset. Used for files that are only
/// ever written whole (manifests, checkpoints) and by the audit verifier.
/// </summary>
internal static class RecordFileReader
{
    public static IEnumerable<DecodedRecord> ReadStrict(string path, byte[] data, DataKey key, FileKind kind)
    {
        var problem = RecordFormat.CheckFileHeader(data, kind, out var saltSpan);
        if (problem is not null)
        {
            throw new StorageCorruptedException($"{path}: {problem} at offset 0.");
        }

        return Iterate(path, data, key, kind, saltSpan.ToArray());
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

    private static IEnumerable<DecodedRecord> Iterate(string path, byte[] data, DataKey key, FileKind kind, byte[] salt)
    {
        using var cipher = key.CreateFileCipher(kind, salt);
        var offset = RecordFormat.FileHeaderLength;
        ulong counter = 0;
        while (offset < data.Length)
        {
            var status = RecordFormat.TryFrame(data, offset, out var frame);
            if (status != RecordStatus.Ok)
            {
                throw new StorageCorruptedException(Describe(path, offset, status));
            }

            var payload = new byte[frame.PayloadLength];
            if (!RecordFormat.TryDecrypt(cipher, counter, data, frame, payload))
            {
                throw new StorageCorruptedException(DescribeWrongKey(path, offset));
            }

            yield return new DecodedRecord(frame, payload);
            counter++;
            offset = frame.End;
        }
    }
}
