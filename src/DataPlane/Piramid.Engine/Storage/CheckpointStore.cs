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
    /// The newest checkpoint that validates completely, or null; the caller disposes it (it holds the file mapped).
    /// Damaged newer files are skipped (the WAL gap check then refuses to start if records are missing); leftover
    /// temporary files are deleted. The chunks' tags are checked when they are read (<see cref="CheckpointData.ReadChunks"/>).
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

    // Maps the file and checks it whole without decrypting its chunks (CheckpointFile): any damage, a wrong key, a
    // record after the end or from another checkpoint makes it invalid (null).
    private static CheckpointData? TryLoad(string path, long lsn, DataKey key) =>
        CheckpointFile.Open(path, lsn, key) is { } file ? new CheckpointData(lsn, file, path) : null;

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
