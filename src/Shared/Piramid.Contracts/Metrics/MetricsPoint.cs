namespace Piramid.Contracts.Metrics;

/// <summary>One step of a metrics summary: what happened from <see cref="Time"/> for the summary's step.</summary>
public sealed class MetricsPoint
{
    /// <summary>Start of the step (UTC).</summary>
    public DateTimeOffset Time { get; set; }

    /// <summary>Data requests answered in the step.</summary>
    public long Requests { get; set; }

    /// <summary>Requests per second over the step.</summary>
    public double RequestRate { get; set; }

    /// <summary>Requests answered 4xx.</summary>
    public long ClientErrors { get; set; }

    /// <summary>Requests answered 5xx.</summary>
    public long ServerErrors { get; set; }

    /// <summary>Median latency at the gateway in milliseconds, read from the histogram's buckets; null without requests.</summary>
    public double? LatencyP50Ms { get; set; }

    /// <summary>99th percentile latency in milliseconds, read from the histogram's buckets; null without requests.</summary>
    public double? LatencyP99Ms { get; set; }

    /// <summary>Bytes on disk (the largest sample in the step; summed over tenants in the operators' summary); null when no engine was sampled.</summary>
    public long? StorageBytes { get; set; }

    /// <summary>Operators' summary only: engines sampled in the step.</summary>
    public int? Engines { get; set; }

    /// <summary>Operators' summary only: the engines' working set in bytes (largest sample per engine, summed).</summary>
    public long? MemoryBytes { get; set; }
}
