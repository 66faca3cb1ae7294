namespace Piramid.Contracts.Admin;

/// <summary>A tenant's audit sink and its delivery state (never its secret).</summary>
public sealed class AuditSinkInfo
{
    /// <summary>The tenant.</summary>
    public required string TenantId { get; set; }

    /// <summary><c>s3</c> or <c>syslog</c>.</summary>
    public required string Kind { get; set; }

    /// <summary>s3: the service URL.</summary>
    public string? Endpoint { get; set; }

    /// <summary>s3: the bucket.</summary>
    public string? Bucket { get; set; }

    /// <summary>s3: the signing region.</summary>
    public string? Region { get; set; }

    /// <summary>s3: the key prefix.</summary>
    public string? Prefix { get; set; }

    /// <summary>s3: the access key id (the secret is write-only).</summary>
    public string? AccessKeyId { get; set; }

    /// <summary>syslog: the receiver's host.</summary>
    public string? Host { get; set; }

    /// <summary>syslog: the receiver's TCP port.</summary>
    public int? Port { get; set; }

    /// <summary><c>pending</c> (nothing tried yet), <c>delivering</c> (the last attempt succeeded) or <c>failing</c> (the last attempt failed; entries wait).</summary>
    public required string State { get; set; }

    /// <summary>The newest control-plane event delivered (its <c>seq</c>), 0 for none.</summary>
    public long DeliveredControlSeq { get; set; }

    /// <summary>The newest engine entry delivered (its <c>seq</c>), 0 for none.</summary>
    public long DeliveredDataSeq { get; set; }

    /// <summary>When entries were last delivered.</summary>
    public DateTimeOffset? LastDeliveredAt { get; set; }

    /// <summary>Entries stored but not delivered yet, as the last attempt counted them (engine entries only while the engine runs).</summary>
    public long Backlog { get; set; }

    /// <summary>The last attempt's error, when it failed.</summary>
    public string? LastError { get; set; }

    /// <summary>When the last attempt failed.</summary>
    public DateTimeOffset? LastErrorAt { get; set; }

    /// <summary>Events retention deleted before the sink received them (<c>audit_sink.gap</c>: the sink was down longer than <c>Retention:SinkGrace</c>), in total.</summary>
    public long GapEvents { get; set; }

    /// <summary>When retention last deleted events the sink had not received, or null.</summary>
    public DateTimeOffset? LastGapAt { get; set; }

    /// <summary>When the sink was configured.</summary>
    public DateTimeOffset CreatedAt { get; set; }

    /// <summary>When it was last changed.</summary>
    public DateTimeOffset UpdatedAt { get; set; }
}
