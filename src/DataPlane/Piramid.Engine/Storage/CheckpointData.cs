namespace Piramid.Engine.Storage;

/// <summary>A loaded checkpoint: the LSN it covers, its chunks in order, and its file.</summary>
/// <param name="Lsn">Every WAL record up to and including this LSN is in the checkpoint.</param>
/// <param name="Chunks">The chunks as written (a load decrypts them where they were read, in a few large blocks).</param>
/// <param name="Path">The checkpoint file.</param>
public sealed record CheckpointData(long Lsn, IReadOnlyList<ReadOnlyMemory<byte>> Chunks, string Path);
