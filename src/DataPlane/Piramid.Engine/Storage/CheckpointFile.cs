using System.Buffers.Binary;
using System.Security.Cryptography;
using Piramid.Engine.Crypto;

namespace Piramid.Engine.Storage;

/// <summary>
/// A checkpoint file mapped read-only and checked whole before any use: every record's two checksums, its LSN, and the
/// end record with its chunk count (the end record is decrypted, so a wrong key fails here). The chunks are decrypted
/// only when read (<see cref="ReadChunks"/>), one at a time from the mapping into one reusable buffer: a load touches
/// no fresh memory for the file itself, where reading it into arrays cost a new engine a zero-filled page for every
/// byte (docs/design/hibernation.md, "Streaming the checkpoint").
/// </summary>
internal sealed class CheckpointFile : IDisposable
{
    private readonly string _path;
    private readonly DataKey _key;
    private readonly byte[] _salt;
    private readonly MappedFile _file;
    private readonly List<(long Offset, RecordFrame Frame)> _chunks = []; // the chunk records, framed by Validate
    private int _largestPayload;
    private bool _disposed;

    private CheckpointFile(string path, DataKey key, MappedFile file)
    {
        _path = path;
        _key = key;
        _file = file;
        _salt = [];
        if (RecordFormat.CheckFileHeader(Bytes(0, (int)Math.Min(Length, RecordFormat.FileHeaderLength)), FileKind.Checkpoint, out var salt) is null)
        {
            _salt = salt.ToArray();
        }
    }

    /// <summary>The chunks the end record counts.</summary>
    public int ChunkCount => _chunks.Count;

    private long Length => _file.Length;

    /// <summary>The checkpoint at <paramref name="path"/> if it validates completely as the one for <paramref name="lsn"/>, or null.</summary>
    public static CheckpointFile? Open(string path, long lsn, DataKey key)
    {
        var mapped = MappedFile.Open(path);
        if (mapped is null || mapped.Length < RecordFormat.FileHeaderLength)
        {
            mapped?.Dispose();
            return null;
        }

        var file = new CheckpointFile(path, key, mapped);
        try
        {
            if (file.Validate(lsn))
            {
                return file;
            }
        }
        catch
        {
            file.Dispose();
            throw;
        }

        file.Dispose();
        return null;
    }

    /// <summary>
    /// The chunks in order, each decrypted into one buffer and valid until the next is read. A chunk whose tag fails
    /// (its record altered with both checksums recomputed, or written with another key) throws
    /// <see cref="StorageCorruptedException"/>.
    /// </summary>
    public IEnumerable<ReadOnlyMemory<byte>> ReadChunks()
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        using var cipher = _key.CreateFileCipher(FileKind.Checkpoint, _salt);
        var buffer = GC.AllocateUninitializedArray<byte>(_largestPayload);
        for (var i = 0; i < _chunks.Count; i++)
        {
            var length = Decrypt(cipher, i, buffer);
            yield return buffer.AsMemory(0, length);
        }
    }

    public void Dispose()
    {
        _disposed = true;
        _file.Dispose();
    }

    // Any damage, a record after the end or from another checkpoint, or an end record that does not decrypt or does
    // not count the chunks makes the file invalid.
    private bool Validate(long lsn)
    {
        if (_salt.Length == 0)
        {
            return false;
        }

        long offset = RecordFormat.FileHeaderLength;
        while (offset < Length)
        {
            // The one framing of every encrypted file: header checksum, length bound, whole record, record checksum.
            var rest = Bytes(offset, (int)Math.Min(Length - offset, int.MaxValue));
            if (RecordFormat.TryFrame(rest, 0, out var frame) != RecordStatus.Ok || frame.Lsn != lsn)
            {
                return false;
            }

            var record = rest[..frame.TotalLength];
            if (frame.Type == CheckpointStore.ChunkType)
            {
                _chunks.Add((offset, frame));
                _largestPayload = Math.Max(_largestPayload, frame.PayloadLength);
            }
            else
            {
                return frame.Type == CheckpointStore.EndType && offset + frame.TotalLength == Length && EndCounts(record, frame);
            }

            offset += frame.TotalLength;
        }

        return false; // no end record
    }

    private bool EndCounts(ReadOnlySpan<byte> record, RecordFrame frame)
    {
        if (frame.PayloadLength != 8)
        {
            return false;
        }

        using var cipher = _key.CreateFileCipher(FileKind.Checkpoint, _salt);
        Span<byte> count = stackalloc byte[8];
        return RecordFormat.TryDecrypt(cipher, (ulong)_chunks.Count, record, frame, count)
            && BinaryPrimitives.ReadUInt64LittleEndian(count) == (ulong)_chunks.Count;
    }

    private int Decrypt(AesGcm cipher, int chunk, byte[] buffer)
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        var (offset, frame) = _chunks[chunk];
        if (!RecordFormat.TryDecrypt(cipher, (ulong)chunk, Bytes(offset, frame.TotalLength), frame, buffer))
        {
            throw new StorageCorruptedException(
                $"{_path}: chunk {chunk} does not decrypt: its record was altered with its checksums recomputed, or written with another key.");
        }

        return frame.PayloadLength;
    }

    private ReadOnlySpan<byte> Bytes(long offset, int length) => _file.Bytes(offset, length);
}
