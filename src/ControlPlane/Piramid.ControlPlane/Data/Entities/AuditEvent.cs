namespace Piramid.ControlPlane.Data.Entities;

/// <summary>One control-plane change: who, what, when, and the state before and after (JSON, secrets left out).</summary>
public sealed class AuditEvent
{
    /// <summary>Sequence.</summary>
    public long Id { get; set; }

    /// <summary>When.</summary>
    public DateTimeOffset Time { get; set; }

    /// <summary>Who (operator client id, or <c>system</c>).</summary>
    public required string Actor { get; set; }

    /// <summary>What, e.g. <c>tenant.create</c>.</summary>
    public required string Action { get; set; }

    /// <summary>Target kind, e.g. <c>tenant</c>.</summary>
    public required string TargetType { get; set; }

    /// <summary>Target id.</summary>
    public required string TargetId { get; set; }

    /// <summary>Tenant concerned, when any.</summary>
    public string? TenantId { get; set; }

    /// <summary>State before, as JSON.</summary>
    public string? Before { get; set; }

    /// <summary>State after, as JSON.</summary>
    public string? After { get; set; }

    /// <summary>Request id.</summary>
    public string? RequestId { get; set; }

    /// <summary>
    /// Position in the tenant's control log (every event, chained or not; docs/design/audit-log.md "Positions"): set by
    /// the insert trigger under the chain head's row lock, so positions commit in order and a reader that saw one has
    /// seen every lower one. The sinks' and the paged API's control cursors are these positions.
    /// </summary>
    public long LogSeq { get; set; }

    /// <summary>Position in the tenant's control-plane hash chain (docs/design/audit-log.md); null for an unchained event.</summary>
    public long? ChainSeq { get; set; }

    /// <summary>The previous chained event's hash (lowercase hex; 64 zeros for the first).</summary>
    public string? PrevHash { get; set; }

    /// <summary>SHA-256(previous hash ‖ canonical event), lowercase hex.</summary>
    public string? Hash { get; set; }
}
