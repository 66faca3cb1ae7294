namespace Piramid.ControlPlane.Data.Entities;

/// <summary>
/// One tenant's minute for the charts (Observability/RequestMetricsStore.cs): the gateways' request counts and latency
/// histogram added up, and the engine's storage and memory as sampled in that minute. Kept for
/// <c>RequestMetrics:Retention</c>; no foreign key, so a report for a tenant deleted meanwhile is not refused.
/// </summary>
public sealed class RequestMinuteRecord
{
    /// <summary>Tenant id.</summary>
    public required string TenantId { get; set; }

    /// <summary>Start of the UTC minute.</summary>
    public DateTimeOffset Minute { get; set; }

    /// <summary>Data requests answered.</summary>
    public long Requests { get; set; }

    /// <summary>Answered 4xx.</summary>
    public long ClientErrors { get; set; }

    /// <summary>Answered 5xx.</summary>
    public long ServerErrors { get; set; }

    /// <summary>Counts per latency bucket (Piramid.Contracts.Metrics.LatencyBuckets); empty when only sampled.</summary>
    public long[] LatencyBuckets { get; set; } = [];

    /// <summary>The engine's bytes on disk, when sampled in this minute.</summary>
    public long? StorageBytes { get; set; }

    /// <summary>The engine's working set, when sampled in this minute.</summary>
    public long? MemoryBytes { get; set; }
}
