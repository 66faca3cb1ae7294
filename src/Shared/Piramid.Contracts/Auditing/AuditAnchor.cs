namespace Piramid.Contracts.Auditing;

/// <summary>
/// A signed record of an engine's audit head (docs/design/audit-log.md, "Anchors"): the control plane saw entry
/// <see cref="EngineSeq"/> with hash <see cref="EngineHash"/> at <see cref="SignedAt"/>. <see cref="Signature"/> is a
/// compact JWS (RS256, the platform's token-signing key, <c>kid</c> in its header, verifiable with the published
/// JWKS) whose payload is <c>{"tenant_id","engine_seq","engine_hash","signed_at"}</c> with these same values.
/// </summary>
/// <param name="TenantId">The tenant whose engine it anchors.</param>
/// <param name="EngineSeq">The head's sequence.</param>
/// <param name="EngineHash">The head's hash (lowercase hex).</param>
/// <param name="SignedAt">When the control plane read and signed it.</param>
/// <param name="Signature">The compact JWS.</param>
public sealed record AuditAnchor(string TenantId, long EngineSeq, string EngineHash, DateTimeOffset SignedAt, string Signature);
