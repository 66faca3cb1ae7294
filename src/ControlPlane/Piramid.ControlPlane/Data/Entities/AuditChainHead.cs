namespace Piramid.ControlPlane.Data.Entities;

/// <summary>
/// The newest entry of one control-plane audit chain (a tenant's, or the platform's for events of no tenant). Its row
/// is locked while events are chained, so concurrent writers of one chain take turns; it outlives the events that
/// retention removes, so the chain never restarts.
/// </summary>
public sealed class AuditChainHead
{
    /// <summary>The chain: the tenant id, or the empty string for events of no tenant.</summary>
    public required string Chain { get; set; }

    /// <summary>The newest entry's sequence (0 before the first).</summary>
    public long Seq { get; set; }

    /// <summary>The newest control log position of the chain's tenant, chained events and unchained alike (<see cref="AuditEvent.LogSeq"/>).</summary>
    public long LogSeq { get; set; }

    /// <summary>The newest entry's hash, lowercase hex (64 zeros before the first).</summary>
    public required string Hash { get; set; }
}
