using System.Buffers;
using System.Buffers.Binary;
using System.Globalization;
using System.Security.Cryptography;
using Microsoft.Win32.SafeHandles;
using Piramid.Engine.Crypto;

namespace Piramid.Engine.Storage;

/// <summary>
/// Checkpoint files <c>checkpoint-&lt;lsn:D20&gt;.ckpt</c>: one encrypted record per chunk, then an end
/// record holding the chunk count, written to a temporary name and renamed durably. Layout in
/// docs/design/checkpoint.md.
/// </summary>
public static class CheckpointStore
{
    internal const byte ChunkType = 1;
    internal const byte EndType = 2;
    private const string Prefix = "checkpoint-";
    private const string Suffix = ".ckpt";

    /// <summary>Writes the checkpoint for <paramref name="lsn"/> durably; returns the file size.</summary>
    public static long Write(string directory, DataKey key, long lsn, IEnumerable<ReadOnlyMemory<byte>> chunks)
    {
        ArgumentNullException.ThrowIfNull(directory);
        ArgumentNullException.ThrowIfNull(key);
        ArgumentNullException.ThrowIfNull(chunks);
        ArgumentOutOfRangeException.ThrowIfNegative(lsn);
        Directory.CreateDirectory(directory);
        var path = Path.Combine(directory, FileName(lsn));
        var temp = path + FileSync.TempSuffix;
        var salt = RecordFormat.NewSalt();
        long length;
        using (var cipher = key.CreateFileCipher(FileKind.Checkpoint, salt))
        using (var handle = File.OpenHandle(temp, FileMode.Create, FileAccess.Write, FileShare.None))
        {
            Span<byte> header = stackalloc byte[RecordFormat.FileHeaderLength];
            RecordFormat.WriteFileHeader(header, FileKind.Checkpoint, salt);
            RandomAccess.Write(handle, header, 0);
            length = header.Length;
            ulong count = 0;
            foreach (var chunk in chunks)
            {
                length += WriteRecord(handle, cipher, count++, lsn, ChunkType, chunk.Span, length);
            }

            Span<byte> end = stackalloc byte[8];
            BinaryPrimitives.WriteUInt64LittleEndian(end, count);
            length += WriteRecord(handle, cipher, count, lsn, EndType, end, length);
            RandomAccess.FlushToDisk(handle);
        }

        File.Move(temp, path, overwrite: true);
        FileSync.SyncDirectory(directory);
        return length;
    }

    /// <summary>
    /// The newest checkpoint that validates completely, or null. Damaged newer files are skipped (the
    /// WAL gap check then refuses to start if records are missing); leftover temporary files are deleted.
    /// </summary>
    public static CheckpointData? LoadNewest(string directory, DataKey key)
    {
        ArgumentNullException.ThrowIfNull(directory);
        ArgumentNullException.ThrowIfNull(key);
        if (!Directory.Exists(directory))
        {
            return null;
        }

        foreach (var temp in Directory.EnumerateFiles(directory, Prefix + "*" + Suffix + FileSync.TempSuffix))
        {
            File.Delete(temp);
        }

        foreach (var (path, lsn) in List(directory).OrderByDescending(c => c.Lsn))
        {
            if (TryLoad(path, lsn, key) is { } checkpoint)
            {
                return checkpoint;
            }
        }

        return null;
    }

    /// <summary>Deletes all checkpoint files but the <paramref name="keep"/> newest.</summary>
    public static void RemoveAllButNewest(string directory, int keep = 2)
    {
        ArgumentNullException.ThrowIfNull(directory);
        ArgumentOutOfRangeException.ThrowIfLessThan(keep, 1);
        if (!Directory.Exists(directory))
        {
            return;
        }

        var removed = false;
        foreach (var (path, _) in List(directory).OrderByDescending(c => c.Lsn).Skip(keep))
        {
            File.Delete(path);
            removed = true;
        }

        if (removed)
        {
            FileSync.SyncDirectory(directory);
        }
    }

    /// <summary>The checkpoint files of <paramref name="directory"/> (validated only by name), in no order.</summary>
    internal static List<(string Path, long Lsn)> ListFiles(string directory) => Directory.Exists(directory) ? List(directory) : [];

    /// <summary>The newest checkpoint at or before <paramref name="maxLsn"/> that validates completely, or null.</summary>
    internal static CheckpointData? LoadNewestAtOrBefore(string directory, DataKey key, long maxLsn)
    {
        foreach (var (path, lsn) in ListFiles(directory).Where(c => c.Lsn <= maxLsn).OrderByDescending(c => c.Lsn))
        {
            if (TryLoad(path, lsn, key) is { } checkpoint)
            {
                return checkpoint;
            }
        }

        return null;
    }

    internal static string FileName(long lsn) => Prefix + lsn.ToString("D20", CultureInfo.InvariantCulture) + Suffix;

    private static List<(string Path, long Lsn)> List(string directory)
    {
        var result = new List<(string, long)>();
        foreach (var path in Directory.EnumerateFiles(directory, Prefix + "*" + Suffix))
        {
            var name = Path.GetFileName(path);
            if (name.Length == Prefix.Length + 20 + Suffix.Length
                && long.TryParse(name.AsSpan(Prefix.Length, 20), NumberStyles.None, CultureInfo.InvariantCulture, out var lsn))
            {
                result.Add((path, lsn));
            }
        }

        return result;
    }

    // Reads record by record into a few large blocks (RecordBlocks) and decrypts each payload where it lies: no second
    // copy, and the blocks take 2 MiB pages, where one array per 4 MiB chunk faulted in about half its pages one 4 KiB
    // page at a time (docs/design/hibernation.md, fast start). Any damage, a wrong key, a record after the end or from
    // another checkpoint makes the file invalid (null).
    private static CheckpointData? TryLoad(string path, long lsn, DataKey key)
    {
        using var handle = File.OpenHandle(path, FileMode.Open, FileAccess.Read, FileShare.Read);
        var length = RandomAccess.GetLength(handle);
        Span<byte> fileHeader = stackalloc byte[RecordFormat.FileHeaderLength];
        if (!TryRead(handle, fileHeader, 0) || RecordFormat.CheckFileHeader(fileHeader, FileKind.Checkpoint, out var salt) is not null)
        {
            return null;
        }

        using var cipher = key.CreateFileCipher(FileKind.Checkpoint, salt);
        Span<byte> header = stackalloc byte[RecordFormat.RecordHeaderLength];
        Span<byte> trailer = stackalloc byte[RecordFormat.TagLength + 4]; // tag, then the record's checksum
        var blocks = new RecordBlocks();
        var chunks = new List<ReadOnlyMemory<byte>>();
        long offset = RecordFormat.FileHeaderLength;
        ulong count = 0;
        var ended = false;
        while (offset < length)
        {
            if (ended || !TryRead(handle, header, offset)
                || RecordFormat.CheckHeader(header, 0, out var frame) != RecordStatus.Ok
                || frame.Lsn != lsn || length - offset < frame.TotalLength)
            {
                return null; // damaged, truncated, after the end, or from another checkpoint
            }

            var payload = blocks.Take(frame.PayloadLength, length - offset);
            if (!TryRead(handle, payload.Span, offset + RecordFormat.RecordHeaderLength)
                || !TryRead(handle, trailer, offset + RecordFormat.RecordHeaderLength + frame.PayloadLength))
            {
                return null;
            }

            var crc = Crc32C.Append(Crc32C.Append(Crc32C.Append(uint.MaxValue, header), payload.Span), trailer[..RecordFormat.TagLength]);
            if (~crc != BinaryPrimitives.ReadUInt32LittleEndian(trailer[RecordFormat.TagLength..])
                || !RecordFormat.TryDecryptInPlace(cipher, count, header, payload.Span, trailer[..RecordFormat.TagLength]))
            {
                return null;
            }

            if (frame.Type == ChunkType)
            {
                chunks.Add(payload);
            }
            else if (frame.Type == EndType && payload.Length == 8 && BinaryPrimitives.ReadUInt64LittleEndian(payload.Span) == (ulong)chunks.Count)
            {
                ended = true;
            }
            else
            {
                return null;
            }

            count++;
            offset += frame.TotalLength;
        }

        return ended ? new CheckpointData(lsn, chunks, path) : null;
    }

    // Hands out consecutive pieces of large blocks, each at most BlockBytes or what is left of the file (a block holds
    // whole records, and a record larger than a block gets one of its own).
    private sealed class RecordBlocks
    {
        private const int BlockBytes = 64 * 1024 * 1024;
        private byte[] _block = [];
        private int _used;

        public Memory<byte> Take(int length, long leftInFile)
        {
            if (_block.Length - _used < length)
            {
                _block = LargeArrays.AllocateUninitialized<byte>((int)Math.Max(length, Math.Min(BlockBytes, leftInFile)));
                _used = 0;
            }

            var piece = _block.AsMemory(_used, length);
            _used += length;
            return piece;
        }
    }

    private static bool TryRead(SafeFileHandle handle, Span<byte> buffer, long offset)
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

    private static int WriteRecord(SafeFileHandle handle, AesGcm cipher, ulong counter, long lsn, byte type, ReadOnlySpan<byte> payload, long offset)
    {
        if (payload.Length > RecordFormat.MaxPayloadLength)
        {
            throw new ArgumentException($"A checkpoint chunk is at most {RecordFormat.MaxPayloadLength} bytes.", nameof(payload));
        }

        var size = payload.Length + RecordFormat.RecordOverhead;
        var buffer = ArrayPool<byte>.Shared.Rent(size);
        try
        {
            RecordFormat.Encrypt(cipher, counter, lsn, type, payload, buffer.AsSpan(0, size));
            RandomAccess.Write(handle, buffer.AsSpan(0, size), offset);
            return size;
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(buffer);
        }
    }
}
