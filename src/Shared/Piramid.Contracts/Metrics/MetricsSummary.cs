namespace Piramid.Contracts.Metrics;

/// <summary>
/// Answer of <c>GET /v1/tenants/{id}/metrics</c> and <c>GET /v1/platform/metrics</c>: a time series with a fixed step per
/// window, oldest first, one point per step (steps with nothing are zero, not missing), and the window's totals.
/// </summary>
public sealed class MetricsSummary
{
    /// <summary>The tenant, or null for the whole platform.</summary>
    public string? TenantId { get; set; }

    /// <summary>The window asked for: <c>1h</c>, <c>24h</c> or <c>7d</c>.</summary>
    public required string Window { get; set; }

    /// <summary>Length of one step in seconds (60, 900 or 3,600).</summary>
    public int StepSeconds { get; set; }

    /// <summary>Start of the first step.</summary>
    public DateTimeOffset From { get; set; }

    /// <summary>End of the last step (the current step's end: it is still filling).</summary>
    public DateTimeOffset To { get; set; }

    /// <summary>One point per step, oldest first.</summary>
    public IReadOnlyList<MetricsPoint> Points { get; set; } = [];

    /// <summary>The whole window: requests, errors and latency quantiles over every step.</summary>
    public required MetricsPoint Totals { get; set; }
}
