namespace Piramid.Contracts.Admin;

/// <summary>Body of <c>GET /v1/tenants</c>.</summary>
public sealed class TenantList
{
    /// <summary>Tenants by name.</summary>
    public required IReadOnlyList<TenantInfo> Tenants { get; set; }
}
