namespace Piramid.Contracts.Admin;

/// <summary>The tenant's plan limits, readable by every member (the plans themselves are operator-only). Null: no limit.</summary>
public sealed class TenantLimits
{
    /// <summary>Most collections.</summary>
    public int? MaxCollections { get; set; }

    /// <summary>Most points.</summary>
    public long? MaxPoints { get; set; }

    /// <summary>Most bytes on disk.</summary>
    public long? MaxStorageBytes { get; set; }

    /// <summary>Largest dimension.</summary>
    public int? MaxDimension { get; set; }

    /// <summary>Read units per month.</summary>
    public long? MonthlyReadUnits { get; set; }

    /// <summary>Write units per month.</summary>
    public long? MonthlyWriteUnits { get; set; }

    /// <summary>Reads per second.</summary>
    public int? ReadRatePerSecond { get; set; }

    /// <summary>Writes per second.</summary>
    public int? WriteRatePerSecond { get; set; }
}
