namespace Piramid.Contracts.Backups;

/// <summary>One file of a snapshot, still encrypted with the tenant's data key.</summary>
/// <param name="Path">Relative to the data directory, '/'-separated (e.g. <c>collections/&lt;id&gt;/checkpoints/checkpoint-…ckpt</c>).</param>
/// <param name="Size">Bytes.</param>
/// <param name="Sha256">SHA-256 of the file's bytes, lowercase hex.</param>
public sealed record SnapshotFile(string Path, long Size, string Sha256);
