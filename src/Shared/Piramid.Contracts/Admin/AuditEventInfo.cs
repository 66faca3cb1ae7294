using System.Text.Json;

namespace Piramid.Contracts.Admin;

/// <summary>One audit event as the admin API and its NDJSON export show it.</summary>
public sealed class AuditEventInfo
{
    /// <summary>Sequence number (increasing): the control plane's event id, or the engine log's sequence for <c>data</c>.</summary>
    public long Id { get; set; }

    /// <summary>Where it was recorded: <c>control</c> (the control plane) or <c>data</c> (the tenant's engine, hash-chained).</summary>
    public string Source { get; set; } = AuditSources.Control;

    /// <summary>
    /// Sequence within its source's hash chain: the tenant's control-plane chain for <c>control</c> (the event id for an
    /// event recorded before chaining began, which has no hash), the engine log's sequence for <c>data</c>.
    /// </summary>
    public long Seq { get; set; }

    /// <summary>For <c>data</c>: <c>ok</c> or <c>error:&lt;status&gt;</c>; null for <c>control</c> (a recorded change succeeded).</summary>
    public string? Outcome { get; set; }

    /// <summary>The previous entry's hash in its source's chain (lowercase hex); null for a control event recorded before chaining began.</summary>
    public string? PrevHash { get; set; }

    /// <summary>SHA-256(previous hash ‖ canonical entry) (lowercase hex; docs/design/audit-log.md); null for a control event recorded before chaining began.</summary>
    public string? Hash { get; set; }

    /// <summary>When it happened.</summary>
    public DateTimeOffset Time { get; set; }

    /// <summary>Who: a client id, <c>gateway</c> or <c>system</c>.</summary>
    public required string Actor { get; set; }

    /// <summary>What, e.g. <c>tenant.create</c>, <c>auth.failed</c>.</summary>
    public required string Action { get; set; }

    /// <summary>Kind of the target.</summary>
    public required string TargetType { get; set; }

    /// <summary>Target id.</summary>
    public required string TargetId { get; set; }

    /// <summary>Tenant concerned, if any.</summary>
    public string? TenantId { get; set; }

    /// <summary>State before (API shape, never secrets).</summary>
    public JsonElement? Before { get; set; }

    /// <summary>State after.</summary>
    public JsonElement? After { get; set; }

    /// <summary>Request id of the call that caused it.</summary>
    public string? RequestId { get; set; }

    /// <summary>For a <c>data</c> write: its LSN in the collection's write-ahead log (entries of format 2 only).</summary>
    public long? Lsn { get; set; }

    /// <summary>For a <c>data</c> write: how many points it wrote or deleted (entries of format 2 only).</summary>
    public long? Points { get; set; }

    /// <summary>The entry's canonical format, which the hash covers: 1 or 2 for <c>data</c>, 1 for a chained <c>control</c> event.</summary>
    public int? Format { get; set; }
}
