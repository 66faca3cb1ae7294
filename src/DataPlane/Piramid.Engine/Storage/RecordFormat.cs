using System.Buffers.Binary;
using System.Diagnostics;
using System.Security.Cryptography;

namespace Piramid.Engine.Storage;

/// <summary>Outcome of framing one record (no key needed).</summary>
internal enum RecordStatus
{
    Ok,
    Truncated,
    BadHeaderChecksum,
    BadLength,
    BadRecordChecksum,
}

/// <summary>A framed record: where it is and what its clear header says.</summary>
internal readonly record struct RecordFrame(int Offset, int PayloadLength, long Lsn, byte Type)
{
    public int TotalLength => PayloadLength + RecordFormat.RecordOverhead;

    public int End => Offset + TotalLength;
}

/// <summary>
/// The one framing of every encrypted file (WAL, checkpoint, audit, manifest). Byte layouts, nonce scheme
/// and the files that must stay in sync are in docs/design/encryption.md and docs/design/wal.md.
/// </summary>
internal static class RecordFormat
{
    public const byte FormatVersion = 1;
    public const int SaltLength = 16;
    public const int FileHeaderLength = 32;
    public const int RecordHeaderLength = 20;
    public const int TagLength = 16;
    public const int RecordOverhead = RecordHeaderLength + TagLength + 4;
    public const int NonceLength = 12;

    // Bounds a garbage length field; callers split anything larger into chunks.
    public const int MaxPayloadLength = 256 * 1024 * 1024;

    public static ReadOnlySpan<byte> Magic => "PRMF"u8;

    /// <summary>Writes the 32-byte file header: magic, version, kind, reserved, salt, reserved, CRC32C.</summary>
    public static void WriteFileHeader(Span<byte> destination, FileKind kind, ReadOnlySpan<byte> salt)
    {
        Debug.Assert(salt.Length == SaltLength, "salt is 16 bytes");
        var header = destination[..FileHeaderLength];
        header.Clear();
        Magic.CopyTo(header);
        header[4] = FormatVersion;
        header[5] = (byte)kind;
        salt.CopyTo(header[8..]);
        BinaryPrimitives.WriteUInt32LittleEndian(header[28..], Crc32C.Compute(header[..28]));
    }

    /// <summary>Validates a file header; on failure returns a reason for the error message.</summary>
    public static string? CheckFileHeader(ReadOnlySpan<byte> data, FileKind expected, out ReadOnlySpan<byte> salt)
    {
        salt = default;
        if (data.Length < FileHeaderLength)
        {
            return $"file header is incomplete ({data.Length} of {FileHeaderLength} bytes)";
        }

        if (BinaryPrimitives.ReadUInt32LittleEndian(data[28..]) != Crc32C.Compute(data[..28]) || !data[..4].SequenceEqual(Magic))
        {
            return "file header is damaged (bad magic or checksum)";
        }

        if (data[4] != FormatVersion)
        {
            return $"unsupported format version {data[4]}";
        }

        if (data[5] != (byte)expected)
        {
            return $"file kind is {data[5]}, expected {(byte)expected} ({expected})";
        }

        salt = data.Slice(8, SaltLength);
        return null;
    }

    /// <summary>
    /// Encrypts one record into <paramref name="destination"/> (exactly <c>payload.Length + RecordOverhead</c>
    /// bytes). <paramref name="counter"/> is the record's index in its file; it is the nonce.
    /// </summary>
    public static void Encrypt(AesGcm cipher, ulong counter, long lsn, byte type, ReadOnlySpan<byte> payload, Span<byte> destination)
    {
        var header = destination[..RecordHeaderLength];
        BinaryPrimitives.WriteInt32LittleEndian(header, payload.Length);
        BinaryPrimitives.WriteInt64LittleEndian(header[4..], lsn);
        header[12] = type;
        header[13] = 0;
        header[14] = 0;
        header[15] = 0;
        BinaryPrimitives.WriteUInt32LittleEndian(header[16..], Crc32C.Compute(header[..16]));

        Span<byte> nonce = stackalloc byte[NonceLength];
        Nonce(counter, nonce);
        var body = destination.Slice(RecordHeaderLength, payload.Length);
        var tag = destination.Slice(RecordHeaderLength + payload.Length, TagLength);
        cipher.Encrypt(nonce, payload, body, tag, header);

        var crcAt = RecordHeaderLength + payload.Length + TagLength;
        BinaryPrimitives.WriteUInt32LittleEndian(destination[crcAt..], Crc32C.Compute(destination[..crcAt]));
    }

    /// <summary>Frames the record at <paramref name="offset"/> and checks both checksums.</summary>
    public static RecordStatus TryFrame(ReadOnlySpan<byte> data, int offset, out RecordFrame frame)
    {
        frame = default;
        var rest = data[offset..];
        if (rest.Length < RecordHeaderLength)
        {
            return RecordStatus.Truncated;
        }

        var status = CheckHeader(rest[..RecordHeaderLength], offset, out frame);
        if (status != RecordStatus.Ok)
        {
            return status;
        }

        if (rest.Length < frame.TotalLength)
        {
            return RecordStatus.Truncated;
        }

        var crcAt = frame.TotalLength - 4;
        return BinaryPrimitives.ReadUInt32LittleEndian(rest[crcAt..]) == Crc32C.Compute(rest[..crcAt])
            ? RecordStatus.Ok
            : RecordStatus.BadRecordChecksum;
    }

    /// <summary>
    /// Checks a record's 20-byte clear header (its checksum, its length bound, the reserved bytes) and frames it as
    /// starting at <paramref name="offset"/>; the record's own checksum is the caller's to check.
    /// </summary>
    public static RecordStatus CheckHeader(ReadOnlySpan<byte> header, int offset, out RecordFrame frame)
    {
        frame = default;
        if (BinaryPrimitives.ReadUInt32LittleEndian(header[16..]) != Crc32C.Compute(header[..16]))
        {
            return RecordStatus.BadHeaderChecksum;
        }

        var length = BinaryPrimitives.ReadInt32LittleEndian(header);
        if (length is < 0 or > MaxPayloadLength || header[13] != 0 || header[14] != 0 || header[15] != 0)
        {
            return RecordStatus.BadLength;
        }

        frame = new RecordFrame(offset, length, BinaryPrimitives.ReadInt64LittleEndian(header[4..]), header[12]);
        return RecordStatus.Ok;
    }

    /// <summary>
    /// Decrypts a record's payload where it lies (<paramref name="payload"/> holds the ciphertext and receives the
    /// clear text), with the clear <paramref name="header"/> as associated data; false when the tag fails.
    /// </summary>
    public static bool TryDecryptInPlace(AesGcm cipher, ulong counter, ReadOnlySpan<byte> header, Span<byte> payload, ReadOnlySpan<byte> tag)
    {
        Span<byte> nonce = stackalloc byte[NonceLength];
        Nonce(counter, nonce);
        try
        {
            cipher.Decrypt(nonce, payload, tag, payload, header);
            return true;
        }
        catch (AuthenticationTagMismatchException)
        {
            payload.Clear();
            return false;
        }
    }

    /// <summary>Decrypts a framed record; false when the tag fails (wrong key or altered record).</summary>
    public static bool TryDecrypt(AesGcm cipher, ulong counter, ReadOnlySpan<byte> data, RecordFrame frame, Span<byte> payload)
    {
        var record = data.Slice(frame.Offset, frame.TotalLength);
        Span<byte> nonce = stackalloc byte[NonceLength];
        Nonce(counter, nonce);
        try
        {
            cipher.Decrypt(
                nonce,
                record.Slice(RecordHeaderLength, frame.PayloadLength),
                record.Slice(RecordHeaderLength + frame.PayloadLength, TagLength),
                payload[..frame.PayloadLength],
                record[..RecordHeaderLength]);
            return true;
        }
        catch (AuthenticationTagMismatchException)
        {
            payload[..frame.PayloadLength].Clear();
            return false;
        }
    }

    /// <summary>
    /// True when a record with both checksums valid starts anywhere at or after <paramref name="from"/>:
    /// damage followed by such a record is corruption, not a torn tail.
    /// </summary>
    public static bool ValidRecordFollows(ReadOnlySpan<byte> data, int from)
    {
        for (var offset = Math.Max(from, 0); offset + RecordOverhead <= data.Length; offset++)
        {
            if (TryFrame(data, offset, out _) == RecordStatus.Ok)
            {
                return true;
            }
        }

        return false;
    }

    /// <summary>A new random salt for a new file.</summary>
    public static byte[] NewSalt() => RandomNumberGenerator.GetBytes(SaltLength);

    // 4 zero bytes + the u64 record counter: unique per record within a file, and every file has its own
    // subkey (fresh salt), so a (key, nonce) pair is never used twice.
    private static void Nonce(ulong counter, Span<byte> nonce)
    {
        nonce[..4].Clear();
        BinaryPrimitives.WriteUInt64LittleEndian(nonce[4..], counter);
    }
}
