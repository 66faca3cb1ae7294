namespace Piramid.Contracts.Admin;

/// <summary>The month's totals of the reported tenants, so every gateway enforces quotas on the same numbers.</summary>
public sealed class UsageReportResponse
{
    /// <summary>One entry per tenant in the report.</summary>
    public IReadOnlyList<MonthlyUsage> Months { get; set; } = [];
}
