namespace Piramid.Contracts.Billing;

/// <summary>A billing period's usage, what the plan includes and the amount it comes to so far.</summary>
public sealed class BillingPeriod
{
    /// <summary>First UTC day.</summary>
    public DateOnly Start { get; set; }

    /// <summary>Last UTC day.</summary>
    public DateOnly End { get; set; }

    /// <summary>Read units so far.</summary>
    public long ReadUnits { get; set; }

    /// <summary>Write units so far.</summary>
    public long WriteUnits { get; set; }

    /// <summary>Storage so far in GB-hours.</summary>
    public double StorageGbHours { get; set; }

    /// <summary>Read units the plan includes.</summary>
    public long IncludedReadUnits { get; set; }

    /// <summary>Write units the plan includes.</summary>
    public long IncludedWriteUnits { get; set; }

    /// <summary>GB-hours the plan includes.</summary>
    public double IncludedStorageGbHours { get; set; }

    /// <summary>The amount of the usage so far, with the plan's monthly price, in <see cref="Currency"/>.</summary>
    public decimal EstimatedAmount { get; set; }

    /// <summary>ISO currency code, lower case.</summary>
    public required string Currency { get; set; }
}
