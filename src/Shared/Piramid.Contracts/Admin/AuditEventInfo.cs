using System.Text.Json;

namespace Piramid.Contracts.Admin;

/// <summary>One audit event as the admin API and its NDJSON export show it.</summary>
public sealed class AuditEventInfo
{
    /// <summary>Sequence number (increasing): the control plane's event id, or the engine log's sequence for <c>data</c>.</summary>
    public long Id { get; set; }

    /// <summary>Where it was recorded: <c>control</c> (the control plane) or <c>data</c> (the tenant's engine, hash-chained).</summary>
    public string Source { get; set; } = AuditSources.Control;

    /// <summary>Sequence within its source: the event id for <c>control</c>, the engine log's sequence for <c>data</c>.</summary>
    public long Seq { get; set; }

    /// <summary>For <c>data</c>: <c>ok</c> or <c>error:&lt;status&gt;</c>; null for <c>control</c> (a recorded change succeeded).</summary>
    public string? Outcome { get; set; }

    /// <summary>For <c>data</c>: the previous entry's hash (lowercase hex); null for <c>control</c>.</summary>
    public string? PrevHash { get; set; }

    /// <summary>For <c>data</c>: SHA-256(previous hash ‖ canonical entry) (lowercase hex); null for <c>control</c>.</summary>
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
}
