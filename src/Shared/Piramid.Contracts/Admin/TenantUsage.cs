namespace Piramid.Contracts.Admin;

/// <summary>Answer of <c>GET /v1/tenants/{id}/usage?from=&amp;to=</c>: per-day units, totals and the plan's monthly quotas.</summary>
public sealed class TenantUsage
{
    /// <summary>Tenant id.</summary>
    public required string TenantId { get; set; }

    /// <summary>First UTC day included.</summary>
    public DateOnly From { get; set; }

    /// <summary>Last UTC day included.</summary>
    public DateOnly To { get; set; }

    /// <summary>Read units over the range.</summary>
    public long ReadUnits { get; set; }

    /// <summary>Write units over the range.</summary>
    public long WriteUnits { get; set; }

    /// <summary>Storage over the range in GB-hours.</summary>
    public double StorageGbHours { get; set; }

    /// <summary>The plan's read units per calendar month.</summary>
    public long MonthlyReadUnitsQuota { get; set; }

    /// <summary>The plan's write units per calendar month.</summary>
    public long MonthlyWriteUnitsQuota { get; set; }

    /// <summary>Days with any usage, oldest first.</summary>
    public IReadOnlyList<UsageDay> Days { get; set; } = [];
}
