namespace Piramid.ControlPlane.Data.Entities;

/// <summary>An engine's audit head as the control plane read and signed it (docs/design/audit-log.md, "Anchors").</summary>
public sealed class AuditAnchorRecord
{
    /// <summary>Row id.</summary>
    public long Id { get; set; }

    /// <summary>The tenant.</summary>
    public required string TenantId { get; set; }

    /// <summary>The head's sequence.</summary>
    public long EngineSeq { get; set; }

    /// <summary>The head's hash, lowercase hex.</summary>
    public required string EngineHash { get; set; }

    /// <summary>The head of the tenant's control-plane chain at the same time; null in anchors signed before it was chained.</summary>
    public long? ControlSeq { get; set; }

    /// <summary>That head's hash, lowercase hex.</summary>
    public string? ControlHash { get; set; }

    /// <summary>When it was read and signed.</summary>
    public DateTimeOffset SignedAt { get; set; }

    /// <summary>The compact JWS over the other fields.</summary>
    public required string Signature { get; set; }
}
