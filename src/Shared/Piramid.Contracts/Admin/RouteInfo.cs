namespace Piramid.Contracts.Admin;

/// <summary>One row of the gateway's routing table.</summary>
public sealed class RouteInfo
{
    /// <summary>Tenant.</summary>
    public required string TenantId { get; set; }

    /// <summary>Engine base URL.</summary>
    public required string Endpoint { get; set; }

    /// <summary>Base64 HMAC secret for the signed identity header.</summary>
    public required string EngineSecret { get; set; }

    /// <summary>Engine state.</summary>
    public required string State { get; set; }
}
