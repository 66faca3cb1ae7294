namespace Piramid.Engine.Audit;

/// <summary>An audit entry with its chain links, as the export carries it.</summary>
/// <param name="Entry">The entry.</param>
/// <param name="PreviousHash">The previous entry's hash (32 zero bytes for entry 1).</param>
/// <param name="Hash">SHA-256(previous hash ‖ canonical bytes).</param>
/// <param name="Format">The payload format it was written in (1 or 2), which fixes its canonical bytes.</param>
public sealed record AuditChainEntry(AuditEntry Entry, byte[] PreviousHash, byte[] Hash, int Format);
