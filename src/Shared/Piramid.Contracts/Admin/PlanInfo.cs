namespace Piramid.Contracts.Admin;

/// <summary>A plan: quotas and rate limits (also the body of <c>PUT /v1/plans/{id}</c>).</summary>
public sealed class PlanInfo
{
    /// <summary>Id (ignored in a PUT body: the path names it).</summary>
    public string? Id { get; set; }

    /// <summary>Display name.</summary>
    public string? Name { get; set; }

    /// <summary>Most collections.</summary>
    public int? MaxCollections { get; set; }

    /// <summary>Most points.</summary>
    public long? MaxPoints { get; set; }

    /// <summary>Most bytes on disk.</summary>
    public long? MaxStorageBytes { get; set; }

    /// <summary>Largest dimension.</summary>
    public int? MaxDimension { get; set; }

    /// <summary>Reads per second.</summary>
    public int? ReadRatePerSecond { get; set; }

    /// <summary>Read burst.</summary>
    public int? ReadBurst { get; set; }

    /// <summary>Writes per second.</summary>
    public int? WriteRatePerSecond { get; set; }

    /// <summary>Write burst.</summary>
    public int? WriteBurst { get; set; }

    /// <summary>Read units per month.</summary>
    public long? MonthlyReadUnits { get; set; }

    /// <summary>Write units per month.</summary>
    public long? MonthlyWriteUnits { get; set; }
}
