namespace Piramid.ControlPlane.Data.Entities;

/// <summary>A customer of the platform: one engine, one data directory, one data key.</summary>
public sealed class Tenant
{
    /// <summary>Id, <c>t_</c> and 16 hex characters.</summary>
    public required string Id { get; set; }

    /// <summary>Unique display name.</summary>
    public required string Name { get; set; }

    /// <summary>Lifecycle state.</summary>
    public TenantStatus Status { get; set; }

    /// <summary>The plan's id.</summary>
    public required string PlanId { get; set; }

    /// <summary>The plan.</summary>
    public Plan? Plan { get; set; }

    /// <summary>Creation time.</summary>
    public DateTimeOffset CreatedAt { get; set; }

    /// <summary>Last change.</summary>
    public DateTimeOffset UpdatedAt { get; set; }

    /// <summary>When it was deleted.</summary>
    public DateTimeOffset? DeletedAt { get; set; }

    /// <summary>When its data is purged (deleted tenants only).</summary>
    public DateTimeOffset? PurgeAfter { get; set; }
}
