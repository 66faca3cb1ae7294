namespace Piramid.ControlPlane.Data.Entities;

/// <summary>Lifecycle of a tenant.</summary>
public enum TenantStatus
{
    /// <summary>Served.</summary>
    Active,

    /// <summary>Requests refused, data kept, engine stopped.</summary>
    Suspended,

    /// <summary>Keys revoked, engine stopped, data purged after the retention period.</summary>
    Deleted,
}
