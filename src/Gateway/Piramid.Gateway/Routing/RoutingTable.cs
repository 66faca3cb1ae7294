using System.Collections.Frozen;
using Piramid.Contracts.Admin;

namespace Piramid.Gateway.Routing;

/// <summary>
/// The tenant → engine table, swapped whole on every refresh (readers never see half a table). When the
/// control plane is away the last table keeps serving.
/// </summary>
public sealed class RoutingTable
{
    private FrozenDictionary<string, EngineRoute> _routes = FrozenDictionary<string, EngineRoute>.Empty;

    /// <summary>Raised after each replacement (the proxy config provider republishes).</summary>
    public event Action? Changed;

    /// <summary>All routes.</summary>
    public IReadOnlyCollection<EngineRoute> Routes => _routes.Values;

    /// <summary>The change-feed position the table reflects.</summary>
    public long Version { get; private set; }

    /// <summary>The tenant's route, or null when its engine does not run.</summary>
    public EngineRoute? Find(string tenantId) => _routes.GetValueOrDefault(tenantId);

    /// <summary>Replaces the table with the control plane's.</summary>
    public void Replace(RouteTable table)
    {
        ArgumentNullException.ThrowIfNull(table);
        _routes = table.Routes
            .Where(r => r.State == Contracts.Admin.RouteStates.Running)
            .ToFrozenDictionary(r => r.TenantId, r => new EngineRoute(r.TenantId, new Uri(r.Endpoint), Convert.FromBase64String(r.EngineSecret)), StringComparer.Ordinal);
        Version = table.Version;
        Changed?.Invoke();
    }
}
