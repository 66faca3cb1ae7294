namespace Piramid.ControlPlane.Tenants;

/// <summary>Tenant lifecycle settings, bound from <c>Tenants</c>.</summary>
public sealed class TenantOptions
{
    /// <summary>Configuration section.</summary>
    public const string Section = "Tenants";

    /// <summary>How long a deleted tenant's data is kept before it is purged.</summary>
    public TimeSpan DeletedRetention { get; set; } = TimeSpan.FromDays(7);

    /// <summary>Plan of a tenant created without one.</summary>
    public string DefaultPlan { get; set; } = "free";
}
