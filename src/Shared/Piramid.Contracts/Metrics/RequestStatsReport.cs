namespace Piramid.Contracts.Metrics;

/// <summary>
/// A gateway's per-tenant request counts since its previous report (<c>POST /internal/v1/request-stats</c>). Sent
/// again with the same <see cref="Id"/> until answered, so a report applied whose answer was lost is not counted twice.
/// </summary>
public sealed class RequestStatsReport
{
    /// <summary>Most tenant-minutes in one report.</summary>
    public const int MaxMinutes = 10_000;

    /// <summary>Report id (de-duplication).</summary>
    public required string Id { get; set; }

    /// <summary>The tenant-minutes counted.</summary>
    public IReadOnlyList<RequestMinute> Minutes { get; set; } = [];
}
