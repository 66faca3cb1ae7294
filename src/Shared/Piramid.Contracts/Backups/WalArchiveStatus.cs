namespace Piramid.Contracts.Backups;

/// <summary>Answer of <c>GET /internal/v1/wal/archive-status</c>.</summary>
/// <param name="Collections">Per collection.</param>
/// <param name="UnarchivedBytes">Unarchived sealed bytes over all collections.</param>
/// <param name="UnarchivedLimitBytes"><c>Engine:UnarchivedWalLimitBytes</c>.</param>
/// <param name="RecoveryWindowSeconds"><c>Engine:RecoveryWindowSeconds</c>: sealed segments younger than this are kept until archived (0: none are).</param>
public sealed record WalArchiveStatus(
    IReadOnlyList<WalArchiveCollectionStatus> Collections, long UnarchivedBytes, long UnarchivedLimitBytes, long RecoveryWindowSeconds);
