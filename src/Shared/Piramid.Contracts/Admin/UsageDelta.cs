namespace Piramid.Contracts.Admin;

/// <summary>Units a tenant consumed on one UTC day since the gateway's last report.</summary>
public sealed class UsageDelta
{
    /// <summary>Tenant id.</summary>
    public required string TenantId { get; set; }

    /// <summary>UTC day the units were consumed on.</summary>
    public DateOnly Day { get; set; }

    /// <summary>Read units (one per successful read or search request).</summary>
    public long ReadUnits { get; set; }

    /// <summary>Write units (one per started KiB of a successful write request's body, at least one).</summary>
    public long WriteUnits { get; set; }
}
