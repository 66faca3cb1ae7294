namespace Piramid.Engine.Storage;

/// <summary>
/// A loaded checkpoint: the LSN it covers, its file, and its chunks in order. One read from a file holds the file
/// mapped (<see cref="CheckpointFile"/>) until it is disposed, and decrypts its chunks one at a time when they are
/// read (<see cref="ReadChunks"/>).
/// </summary>
public sealed class CheckpointData : IDisposable
{
    private readonly CheckpointFile? _file;
    private IReadOnlyList<ReadOnlyMemory<byte>>? _chunks;

    /// <summary>A checkpoint whose chunks are already in memory (tests, and checkpoints built in memory).</summary>
    /// <param name="lsn">Every WAL record up to and including this LSN is in the checkpoint.</param>
    /// <param name="chunks">The chunks as written.</param>
    /// <param name="path">The checkpoint file, or a name for messages.</param>
    public CheckpointData(long lsn, IReadOnlyList<ReadOnlyMemory<byte>> chunks, string path)
    {
        ArgumentNullException.ThrowIfNull(chunks);
        Lsn = lsn;
        _chunks = chunks;
        Path = path;
    }

    internal CheckpointData(long lsn, CheckpointFile file, string path)
    {
        Lsn = lsn;
        _file = file;
        Path = path;
    }

    /// <summary>Every WAL record up to and including this LSN is in the checkpoint.</summary>
    public long Lsn { get; }

    /// <summary>The checkpoint file.</summary>
    public string Path { get; }

    /// <summary>
    /// Every chunk in an array of its own, decrypted once and kept (tests, small checkpoints); a load reads them with
    /// <see cref="ReadChunks"/>, which keeps one chunk in memory at a time.
    /// </summary>
    public IReadOnlyList<ReadOnlyMemory<byte>> Chunks => _chunks ??= [.. _file!.ReadChunks().Select(c => (ReadOnlyMemory<byte>)c.ToArray())];

    /// <summary>
    /// The chunks in order. A file's are decrypted one at a time into one buffer: each is valid only until the next
    /// is read, and one that does not decrypt throws <see cref="StorageCorruptedException"/>.
    /// </summary>
    public IEnumerable<ReadOnlyMemory<byte>> ReadChunks() => _chunks ?? _file!.ReadChunks();

    /// <summary>Unmaps the file.</summary>
    public void Dispose() => _file?.Dispose();
}
