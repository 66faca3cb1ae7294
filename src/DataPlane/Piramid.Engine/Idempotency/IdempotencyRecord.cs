namespace Piramid.Engine.Idempotency;

/// <summary>A remembered idempotent write: the request it answered and its result.</summary>
/// <param name="Scope">The scope of the key (see <see cref="WriteIdempotency"/>).</param>
/// <param name="Key">The caller's key.</param>
/// <param name="RequestHash">Digest of the first request.</param>
/// <param name="Count">The first result's count.</param>
/// <param name="Lsn">The first result's LSN (the LSN of the log record that carries this).</param>
/// <param name="RecordedAt">When the write was executed; the record expires a retention window later.</param>
internal sealed record IdempotencyRecord(string Scope, string Key, byte[] RequestHash, long Count, long Lsn, DateTimeOffset RecordedAt);
