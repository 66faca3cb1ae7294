namespace Piramid.Contracts.Backups;

/// <summary>One collection of a snapshot: its image at <see cref="Lsn"/>.</summary>
/// <param name="Name">Collection name.</param>
/// <param name="CollectionId">The collection's directory id (16 hex), used in file paths.</param>
/// <param name="Lsn">Every record up to and including this LSN is in the files, none after.</param>
/// <param name="Files">Its manifest, newest checkpoint at or before the LSN, and the WAL segments after it up to the LSN.</param>
public sealed record SnapshotCollection(string Name, string CollectionId, long Lsn, IReadOnlyList<SnapshotFile> Files);
