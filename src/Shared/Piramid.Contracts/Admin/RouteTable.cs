namespace Piramid.Contracts.Admin;

/// <summary>The routing table, with the change-feed position it reflects.</summary>
public sealed class RouteTable
{
    /// <summary>Routes of tenants whose engine runs.</summary>
    public required IReadOnlyList<RouteInfo> Routes { get; set; }

    /// <summary>Last change id included.</summary>
    public long Version { get; set; }
}
