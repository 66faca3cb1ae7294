namespace Piramid.ControlPlane.Data.Entities;

/// <summary>A tenant's request units on one UTC day, summed from the gateways' reports.</summary>
public sealed class UsageRecord
{
    /// <summary>Tenant id.</summary>
    public required string TenantId { get; set; }

    /// <summary>UTC day.</summary>
    public DateOnly Day { get; set; }

    /// <summary>Read units.</summary>
    public long ReadUnits { get; set; }

    /// <summary>Write units.</summary>
    public long WriteUnits { get; set; }

    /// <summary>Storage over the day in byte-seconds, from the engines' sampled bytes on disk (Billing/StorageSampler.cs).</summary>
    public long StorageByteSeconds { get; set; }
}
