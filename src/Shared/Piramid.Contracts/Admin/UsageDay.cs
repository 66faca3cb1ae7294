namespace Piramid.Contracts.Admin;

/// <summary>A tenant's units on one UTC day.</summary>
public sealed class UsageDay
{
    /// <summary>UTC day.</summary>
    public DateOnly Day { get; set; }

    /// <summary>Read units.</summary>
    public long ReadUnits { get; set; }

    /// <summary>Write units.</summary>
    public long WriteUnits { get; set; }

    /// <summary>Storage over the day in GB-hours (10^9 bytes for an hour), from the engines' sampled bytes on disk.</summary>
    public double StorageGbHours { get; set; }
}
