namespace Piramid.Contracts.Points;

/// <summary>Reply to a durable write: how many points it touched and its log sequence number.</summary>
/// <param name="Count">Points written or deleted.</param>
/// <param name="Lsn">The write's LSN, a read-your-writes token.</param>
public sealed record WriteResult(long Count, long Lsn);
