namespace Piramid.Engine.Backups;

/// <summary>A sealed segment as the archive listing shows it.</summary>
/// <param name="Collection">Collection name.</param>
/// <param name="CollectionId">Directory id.</param>
/// <param name="File">File name.</param>
/// <param name="FirstLsn">First LSN.</param>
/// <param name="LastLsn">Last LSN.</param>
/// <param name="FirstTime">First append time; null when unknown.</param>
/// <param name="LastTime">Last append time; null when unknown.</param>
/// <param name="Size">Bytes.</param>
/// <param name="Sha256">SHA-256, lowercase hex.</param>
public sealed record SealedSegmentEntry(
    string Collection, string CollectionId, string File, long FirstLsn, long LastLsn, DateTimeOffset? FirstTime, DateTimeOffset? LastTime, long Size, string Sha256);

/// <summary>Archive state of one collection.</summary>
/// <param name="Name">Collection name.</param>
/// <param name="CollectionId">Directory id.</param>
/// <param name="CreatedAt">When the collection was created (a restored collection keeps its original's time).</param>
/// <param name="LastLsn">Newest appended LSN.</param>
/// <param name="NewestSealedLsn">Last LSN of the newest sealed segment on disk; null when none.</param>
/// <param name="NewestSealedTime">Its append time.</param>
/// <param name="ArchivedThroughLsn">Acknowledged as archived through this LSN.</param>
/// <param name="UnarchivedSegments">Sealed segments on disk not acknowledged.</param>
/// <param name="UnarchivedBytes">Their bytes.</param>
/// <param name="DroppedUnarchivedThroughLsn">Pruned unarchived through this LSN because of the limit (0: none).</param>
/// <param name="SettingsSha256">SHA-256 of <c>manifest.bin</c> now; null when it could not be read.</param>
/// <param name="SettingsWrittenAt">When that <c>manifest.bin</c> was written (created, or changed by a PATCH).</param>
public sealed record ArchiveCollectionState(
    string Name, string CollectionId, DateTimeOffset CreatedAt, long LastLsn, long? NewestSealedLsn, DateTimeOffset? NewestSealedTime, long ArchivedThroughLsn,
    int UnarchivedSegments, long UnarchivedBytes, long DroppedUnarchivedThroughLsn, string? SettingsSha256 = null, DateTimeOffset? SettingsWrittenAt = null);

/// <summary>Archive state of the engine.</summary>
/// <param name="Collections">Per collection, by id.</param>
/// <param name="UnarchivedBytes">Sum over collections.</param>
/// <param name="UnarchivedLimitBytes">The per-collection limit.</param>
/// <param name="RecoveryWindow">The window sealed segments are kept for until archived.</param>
/// <param name="Dropped">Collections deleted or replaced by a restore since the engine started, oldest first (at most 1000).</param>
public sealed record ArchiveState(
    IReadOnlyList<ArchiveCollectionState> Collections, long UnarchivedBytes, long UnarchivedLimitBytes, TimeSpan RecoveryWindow, IReadOnlyList<DroppedCollectionEntry> Dropped);

/// <summary>A collection that stopped existing.</summary>
/// <param name="Name">Its name.</param>
/// <param name="CollectionId">Its directory id.</param>
/// <param name="DroppedAt">When it was deleted or replaced.</param>
public sealed record DroppedCollectionEntry(string Name, string CollectionId, DateTimeOffset DroppedAt);
