namespace Piramid.Contracts.Auditing;

/// <summary>
/// One entry of an engine's hash-chained audit log as the engine's internal API and the audit export carry it
/// (docs/design/audit-log.md): the canonical fields the hash covers, and the chain links in lowercase hex.
/// <c>time</c> keeps every tick (RFC 3339 with 7 fractional digits), so the hash can be recomputed from it.
/// </summary>
/// <param name="Seq">Sequence, contiguous from 1.</param>
/// <param name="Time">When it was appended (UTC, tick precision).</param>
/// <param name="Principal">Who acted (a key id, member or the platform).</param>
/// <param name="Operation">The endpoint, e.g. <c>points.upsert</c>.</param>
/// <param name="Collection">The collection, if any.</param>
/// <param name="Outcome"><c>ok</c> or <c>error:&lt;status&gt;</c>.</param>
/// <param name="RequestId">The request id the answer carried.</param>
/// <param name="PrevHash">The previous entry's hash (64 zeros for entry 1).</param>
/// <param name="Hash">SHA-256(previous hash ‖ canonical bytes).</param>
/// <param name="Lsn">The write's LSN (format 2).</param>
/// <param name="Points">Points written or deleted (format 2).</param>
/// <param name="Format">The entry's payload format (1 or 2; an engine that predates format 2 sends none: 1).</param>
public sealed record EngineAuditEntry(
    long Seq, DateTimeOffset Time, string Principal, string Operation, string? Collection, string Outcome, string? RequestId, string PrevHash, string Hash,
    long? Lsn = null, long? Points = null, int Format = 1);
