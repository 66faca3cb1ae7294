using System.Buffers;
using System.Buffers.Binary;
using System.Security.Cryptography;
using Piramid.Engine.Crypto;

namespace Piramid.Engine.Storage;

/// <summary>
/// A log segment that the loaded checkpoint holds whole: the next segment starts at or before the checkpoint's LSN + 1,
/// so its LSNs run from its own name's to the next name's minus one. The open reads only its first and last records
/// (their times bound the segment for the archive) instead of the whole file; a checkpoint keeps the segments since the
/// previous one, so after a bulk load that was every byte ever written (docs/design/wal.md, "Recovery").
/// </summary>
internal static class CoveredSegment
{
    // The last record is looked for in this much of the file's end; a larger record sends the file to the full scan.
    private const int TailBytes = 8 * 1024 * 1024;

    /// <summary>
    /// The segment's bounds from its first and last records, or null when the file is not exactly that (a damaged or
    /// torn record at either end, another key, a last record that is not <paramref name="lastLsn"/>): the caller then
    /// scans it whole, which names the damage as before. The file is mapped, not read: only the pages of its two end
    /// records are touched, and no fresh memory holds them.
    /// </summary>
    public static ClosedSegment? TryRead(string path, long firstLsn, long lastLsn, DataKey key)
    {
        if (lastLsn < firstLsn)
        {
            return null;
        }

        using var file = MappedFile.Open(path);
        if (file is null || file.Length < RecordFormat.FileHeaderLength + RecordFormat.RecordOverhead || file.Length > int.MaxValue)
        {
            return null;
        }

        var data = file.Bytes(0, (int)file.Length);
        if (RecordFormat.CheckFileHeader(data[..RecordFormat.FileHeaderLength], FileKind.Wal, out var salt) is not null)
        {
            return null;
        }

        using var cipher = key.CreateFileCipher(FileKind.Wal, salt);
        if (Time(data, RecordFormat.FileHeaderLength, path, cipher, 0, firstLsn) is not { } firstTime)
        {
            return null;
        }

        var lastTime = LastTime(data, path, cipher, (ulong)(lastLsn - firstLsn), lastLsn);
        return lastTime is { } last ? new ClosedSegment(path, firstLsn, lastLsn, data.Length, firstTime, last) : null;
    }

    // The record that ends exactly at the end of the file: the last offset whose length field says so and whose two
    // checksums hold. A sealed segment ends on a record boundary (a torn tail is cut at open), so there is one.
    private static long? LastTime(ReadOnlySpan<byte> data, string path, AesGcm cipher, ulong index, long lastLsn)
    {
        var minimum = Math.Max(RecordFormat.FileHeaderLength, data.Length - TailBytes);
        for (var at = data.Length - RecordFormat.RecordOverhead; at >= minimum; at--)
        {
            if (BinaryPrimitives.ReadInt32LittleEndian(data[at..]) == data.Length - at - RecordFormat.RecordOverhead
                && RecordFormat.TryFrame(data, at, out _) == RecordStatus.Ok)
            {
                return Time(data, at, path, cipher, index, lastLsn);
            }
        }

        return null;
    }

    // The time a record appended at, when the record at data[at] frames, has this LSN and decrypts.
    private static long? Time(ReadOnlySpan<byte> data, int at, string path, AesGcm cipher, ulong index, long lsn)
    {
        if (RecordFormat.TryFrame(data, at, out var frame) != RecordStatus.Ok || frame.Lsn != lsn)
        {
            return null;
        }

        var payload = ArrayPool<byte>.Shared.Rent(frame.PayloadLength);
        try
        {
            var plain = payload.AsSpan(0, frame.PayloadLength);
            return RecordFormat.TryDecrypt(cipher, index, data, frame, plain)
                ? WalTime.TimeOf(frame.Type, plain, path, at)
                : null;
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(payload);
        }
    }
}
