using System.Buffers;
using System.Buffers.Binary;
using System.Security.Cryptography;
using Microsoft.Win32.SafeHandles;
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
    /// scans it whole, which names the damage as before.
    /// </summary>
    public static ClosedSegment? TryRead(string path, long firstLsn, long lastLsn, DataKey key)
    {
        if (lastLsn < firstLsn)
        {
            return null;
        }

        using var handle = File.OpenHandle(path, FileMode.Open, FileAccess.Read, FileShare.ReadWrite);
        var length = RandomAccess.GetLength(handle);
        if (length < RecordFormat.FileHeaderLength + RecordFormat.RecordOverhead)
        {
            return null;
        }

        var tailLength = (int)Math.Min(length, TailBytes);
        var tail = ArrayPool<byte>.Shared.Rent(Math.Max(tailLength, RecordFormat.FileHeaderLength));
        try
        {
            if (!ReadExactly(handle, tail.AsSpan(0, RecordFormat.FileHeaderLength), 0)
                || RecordFormat.CheckFileHeader(tail.AsSpan(0, RecordFormat.FileHeaderLength), FileKind.Wal, out var salt) is not null)
            {
                return null;
            }

            using var cipher = key.CreateFileCipher(FileKind.Wal, salt);
            if (FirstTime(handle, path, length, cipher, firstLsn) is not { } firstTime)
            {
                return null;
            }

            var tailStart = length - tailLength;
            if (!ReadExactly(handle, tail.AsSpan(0, tailLength), tailStart))
            {
                return null;
            }

            var lastTime = LastTime(tail.AsSpan(0, tailLength), tailStart, path, cipher, (ulong)(lastLsn - firstLsn), lastLsn);
            return lastTime is { } last ? new ClosedSegment(path, firstLsn, lastLsn, length, firstTime, last) : null;
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(tail);
        }
    }

    private static long? FirstTime(SafeFileHandle handle, string path, long length, AesGcm cipher, long firstLsn)
    {
        Span<byte> header = stackalloc byte[RecordFormat.RecordHeaderLength];
        if (!ReadExactly(handle, header, RecordFormat.FileHeaderLength)
            || RecordFormat.CheckHeader(header, 0, out var frame) != RecordStatus.Ok
            || frame.Lsn != firstLsn || RecordFormat.FileHeaderLength + frame.TotalLength > length)
        {
            return null;
        }

        var record = new byte[frame.TotalLength];
        return ReadExactly(handle, record, RecordFormat.FileHeaderLength)
            ? Time(record, 0, RecordFormat.FileHeaderLength, path, cipher, 0, firstLsn)
            : null;
    }

    // The record that ends exactly at the end of the file: the last offset whose length field says so and whose two
    // checksums hold. A sealed segment ends on a record boundary (a torn tail is cut at open), so there is one.
    private static long? LastTime(ReadOnlySpan<byte> tail, long tailStart, string path, AesGcm cipher, ulong index, long lastLsn)
    {
        var minimum = tailStart == 0 ? RecordFormat.FileHeaderLength : 0;
        for (var at = tail.Length - RecordFormat.RecordOverhead; at >= minimum; at--)
        {
            if (BinaryPrimitives.ReadInt32LittleEndian(tail[at..]) == tail.Length - at - RecordFormat.RecordOverhead
                && RecordFormat.TryFrame(tail, at, out _) == RecordStatus.Ok)
            {
                return Time(tail, at, tailStart + at, path, cipher, index, lastLsn);
            }
        }

        return null;
    }

    private static long? Time(ReadOnlySpan<byte> data, int at, long fileOffset, string path, AesGcm cipher, ulong index, long lsn)
    {
        if (RecordFormat.TryFrame(data, at, out var frame) != RecordStatus.Ok || frame.Lsn != lsn)
        {
            return null;
        }

        var payload = frame.PayloadLength == 0 ? [] : new byte[frame.PayloadLength];
        return RecordFormat.TryDecrypt(cipher, index, data, frame, payload)
            ? WalTime.Decode(frame.Lsn, frame.Type, payload, path, (int)fileOffset).AppendedAtMs
            : null;
    }

    private static bool ReadExactly(SafeFileHandle handle, Span<byte> buffer, long offset)
    {
        while (!buffer.IsEmpty)
        {
            var read = RandomAccess.Read(handle, buffer, offset);
            if (read == 0)
            {
                return false;
            }

            buffer = buffer[read..];
            offset += read;
        }

        return true;
    }
}
