namespace Piramid.Contracts.Auditing;

/// <summary>The newest entry of an engine's audit log: its sequence and hash (lowercase hex).</summary>
/// <param name="Seq">Sequence of the newest entry; 0 for an empty log.</param>
/// <param name="Hash">Its hash; 64 zeros for an empty log.</param>
public sealed record AuditHead(long Seq, string Hash);
