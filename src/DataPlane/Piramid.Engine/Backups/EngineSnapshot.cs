namespace Piramid.Engine.Backups;

/// <summary>A snapshot the engine holds under <c>&lt;data&gt;/snapshots/&lt;id&gt;/</c> until released or expired.</summary>
/// <param name="Id">Its id (32 hex).</param>
/// <param name="CreatedAt">When it was taken.</param>
/// <param name="Collections">Each collection's image.</param>
/// <param name="Files">Tenant-level files.</param>
public sealed record EngineSnapshot(string Id, DateTimeOffset CreatedAt, IReadOnlyList<SnapshotCollectionImage> Collections, IReadOnlyList<BackupFile> Files);

/// <summary>One collection of a snapshot.</summary>
/// <param name="Name">Collection name.</param>
/// <param name="CollectionId">Directory id.</param>
/// <param name="Lsn">Every record up to this LSN, none after.</param>
/// <param name="Files">Its files.</param>
public sealed record SnapshotCollectionImage(string Name, string CollectionId, long Lsn, IReadOnlyList<BackupFile> Files);

/// <summary>A file of a snapshot or a restore.</summary>
/// <param name="Path">Relative to the data directory, '/'-separated.</param>
/// <param name="Size">Bytes.</param>
/// <param name="Sha256">SHA-256, lowercase hex.</param>
public sealed record BackupFile(string Path, long Size, string Sha256);
