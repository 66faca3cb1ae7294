namespace Piramid.Contracts.Backups;

/// <summary>Archive state of one collection's log.</summary>
/// <param name="Collection">Collection name.</param>
/// <param name="CollectionId">Directory id (16 hex).</param>
/// <param name="CreatedAt">When the collection was created (a restored collection keeps its original's time).</param>
/// <param name="LastLsn">Newest appended LSN (sealed or not).</param>
/// <param name="NewestSealedLsn">Last LSN of the newest sealed segment; null when none was sealed since the engine started.</param>
/// <param name="NewestSealedTime">Append time of that record; null as above.</param>
/// <param name="ArchivedThroughLsn">Highest LSN acknowledged as archived since the engine started (0: none).</param>
/// <param name="UnarchivedSegments">Sealed segments on disk not yet acknowledged.</param>
/// <param name="UnarchivedBytes">Their bytes.</param>
/// <param name="DroppedUnarchivedThroughLsn">Highest LSN removed unarchived because of <c>Engine:UnarchivedWalLimitBytes</c> (0: none): point-in-time recovery cannot reach records at or below it from the archive.</param>
/// <param name="SettingsSha256">SHA-256 of the collection's settings file (<c>manifest.bin</c>) now; a PATCH changes it. Null from an engine that does not report it.</param>
/// <param name="SettingsWrittenAt">When that settings file was written: the collection's creation, or its last settings change.</param>
public sealed record WalArchiveCollectionStatus(
    string Collection,
    string CollectionId,
    DateTimeOffset CreatedAt,
    long LastLsn,
    long? NewestSealedLsn,
    DateTimeOffset? NewestSealedTime,
    long ArchivedThroughLsn,
    int UnarchivedSegments,
    long UnarchivedBytes,
    long DroppedUnarchivedThroughLsn,
    string? SettingsSha256 = null,
    DateTimeOffset? SettingsWrittenAt = null);
