namespace Piramid.Contracts.Auditing;

/// <summary>
/// A signed record of a tenant's audit heads (docs/design/audit-log.md, "Anchors"): the control plane saw engine entry
/// <see cref="EngineSeq"/> with hash <see cref="EngineHash"/>, and its own chain's event <see cref="ControlSeq"/> with
/// hash <see cref="ControlHash"/>, at <see cref="SignedAt"/>. <see cref="Signature"/> is a compact JWS (RS256, the
/// platform's token-signing key, <c>kid</c> in its header, verifiable with the published JWKS) whose payload is
/// <c>{"tenant_id","engine_seq","engine_hash","signed_at","control_seq","control_hash"}</c> with these same values
/// (anchors signed before the control plane's chain existed carry no control head).
/// </summary>
/// <param name="TenantId">The tenant whose engine it anchors.</param>
/// <param name="EngineSeq">The head's sequence.</param>
/// <param name="EngineHash">The head's hash (lowercase hex).</param>
/// <param name="SignedAt">When the control plane read and signed it.</param>
/// <param name="Signature">The compact JWS.</param>
/// <param name="ControlSeq">The head of the tenant's control-plane chain, if it was anchored.</param>
/// <param name="ControlHash">That head's hash (lowercase hex).</param>
public sealed record AuditAnchor(
    string TenantId, long EngineSeq, string EngineHash, DateTimeOffset SignedAt, string Signature, long? ControlSeq = null, string? ControlHash = null);
