namespace Piramid.Client.Models;

/// <summary>Answer to a durable write.</summary>
/// <param name="Count">Points written or deleted.</param>
/// <param name="Lsn">The write's log sequence number: a read after it sees the write.</param>
public sealed record WriteResult(long Count, long Lsn);
