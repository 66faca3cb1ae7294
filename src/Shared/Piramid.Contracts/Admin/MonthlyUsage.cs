namespace Piramid.Contracts.Admin;

/// <summary>A tenant's consumption in the current UTC calendar month, stored totals only.</summary>
public sealed class MonthlyUsage
{
    /// <summary>Tenant id.</summary>
    public required string TenantId { get; set; }

    /// <summary>First day of the month.</summary>
    public DateOnly Month { get; set; }

    /// <summary>Read units this month.</summary>
    public long ReadUnits { get; set; }

    /// <summary>Write units this month.</summary>
    public long WriteUnits { get; set; }
}
