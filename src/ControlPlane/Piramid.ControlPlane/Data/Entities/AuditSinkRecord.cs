namespace Piramid.ControlPlane.Data.Entities;

/// <summary>
/// A tenant's audit sink and its durable delivery cursor (docs/design/audit-sinks.md): the newest control-plane event
/// id and engine sequence delivered. The cursor moves only after the sink accepted the entries.
/// </summary>
public sealed class AuditSinkRecord
{
    /// <summary>The tenant (one sink per tenant).</summary>
    public required string TenantId { get; set; }

    /// <summary><c>s3</c> or <c>syslog</c>.</summary>
    public required string Kind { get; set; }

    /// <summary>s3: service URL.</summary>
    public string? Endpoint { get; set; }

    /// <summary>s3: bucket.</summary>
    public string? Bucket { get; set; }

    /// <summary>s3: signing region.</summary>
    public string? Region { get; set; }

    /// <summary>s3: key prefix.</summary>
    public string? Prefix { get; set; }

    /// <summary>s3: access key id.</summary>
    public string? AccessKeyId { get; set; }

    /// <summary>s3: the secret key, sealed by <c>SinkSecretProtector</c> (AES-GCM, bound to the tenant).</summary>
    public byte[]? SecretSealed { get; set; }

    /// <summary>syslog: host.</summary>
    public string? Host { get; set; }

    /// <summary>syslog: port.</summary>
    public int? Port { get; set; }

    /// <summary>Bumped by every change of the configuration, so a delivery of the old one cannot move the new one's cursor.</summary>
    public int Version { get; set; }

    /// <summary>The newest control-plane event id delivered.</summary>
    public long ControlCursor { get; set; }

    /// <summary>The newest engine audit sequence delivered.</summary>
    public long DataCursor { get; set; }

    /// <summary>The newest anchor (its <c>audit_anchors.id</c>) an S3 object carried: the next object carries those after it.</summary>
    public long AnchorCursor { get; set; }

    /// <summary>Events retention deleted before this sink received them (<c>audit_sink.gap</c>), in total.</summary>
    public long GapEvents { get; set; }

    /// <summary>When retention last deleted undelivered events, or null.</summary>
    public DateTimeOffset? LastGapAt { get; set; }

    /// <summary>When entries were last delivered.</summary>
    public DateTimeOffset? LastDeliveredAt { get; set; }

    /// <summary>When delivery was last attempted.</summary>
    public DateTimeOffset? LastAttemptAt { get; set; }

    /// <summary>Entries not delivered yet, as the last attempt counted them.</summary>
    public long Backlog { get; set; }

    /// <summary>The last attempt's error, null after a success.</summary>
    public string? LastError { get; set; }

    /// <summary>When the last attempt failed.</summary>
    public DateTimeOffset? LastErrorAt { get; set; }

    /// <summary>Creation time.</summary>
    public DateTimeOffset CreatedAt { get; set; }

    /// <summary>Last configuration change.</summary>
    public DateTimeOffset UpdatedAt { get; set; }
}
