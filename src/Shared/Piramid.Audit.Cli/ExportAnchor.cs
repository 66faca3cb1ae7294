namespace Piramid.Audit.Cli;

/// <summary>An anchor line of the export.</summary>
/// <param name="Line">Line number (1-based).</param>
/// <param name="TenantId">The tenant.</param>
/// <param name="EngineSeq">The anchored sequence.</param>
/// <param name="EngineHash">The anchored hash, hex.</param>
/// <param name="SignedAt">When it was signed.</param>
/// <param name="Signature">The compact JWS.</param>
/// <param name="ControlSeq">The anchored head of the control-plane chain (null in anchors from before it).</param>
/// <param name="ControlHash">That head's hash, hex.</param>
public sealed record ExportAnchor(
    int Line, string TenantId, long EngineSeq, string EngineHash, DateTimeOffset SignedAt, string Signature, long? ControlSeq = null, string? ControlHash = null);
