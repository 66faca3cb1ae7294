namespace Piramid.Contracts.Backups;

/// <summary>Answer of <c>GET /internal/v1/wal/archive-status</c>.</summary>
/// <param name="Collections">Per collection.</param>
/// <param name="UnarchivedBytes">Unarchived sealed bytes over all collections.</param>
/// <param name="UnarchivedLimitBytes"><c>Engine:UnarchivedWalLimitBytes</c>.</param>
/// <param name="RecoveryWindowSeconds"><c>Engine:RecoveryWindowSeconds</c>: sealed segments younger than this are kept until archived (0: none are).</param>
/// <param name="Dropped">Collections deleted, or replaced by a restore, since the engine started (oldest first, at most 1000).</param>
public sealed record WalArchiveStatus(
    IReadOnlyList<WalArchiveCollectionStatus> Collections, long UnarchivedBytes, long UnarchivedLimitBytes, long RecoveryWindowSeconds,
    IReadOnlyList<DroppedCollection> Dropped);

/// <summary>A collection that stopped existing: deleted, or replaced by an in-place restore (which gives the restored one a new id).</summary>
/// <param name="Collection">Its name.</param>
/// <param name="CollectionId">Its directory id (16 hex).</param>
/// <param name="DroppedAt">When.</param>
public sealed record DroppedCollection(string Collection, string CollectionId, DateTimeOffset DroppedAt);
