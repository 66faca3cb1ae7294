namespace Piramid.Contracts.Metrics;

/// <summary>One tenant's data requests that ended in one UTC minute, as a gateway counted them.</summary>
public sealed class RequestMinute
{
    /// <summary>Tenant id.</summary>
    public required string TenantId { get; set; }

    /// <summary>Start of the UTC minute.</summary>
    public DateTimeOffset Minute { get; set; }

    /// <summary>Requests answered (every status).</summary>
    public long Requests { get; set; }

    /// <summary>Of those, answered 4xx.</summary>
    public long ClientErrors { get; set; }

    /// <summary>Of those, answered 5xx.</summary>
    public long ServerErrors { get; set; }

    /// <summary>Requests per latency bucket (<see cref="LatencyBuckets"/>: exactly <see cref="LatencyBuckets.Count"/> counts).</summary>
    public IReadOnlyList<long> LatencyBuckets { get; set; } = [];
}
