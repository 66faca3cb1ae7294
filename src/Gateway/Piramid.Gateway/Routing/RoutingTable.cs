using System.Collections.Frozen;
using Piramid.Contracts.Admin;

namespace Piramid.Gateway.Routing;

/// <summary>
/// The tenant → engine table, swapped whole on every refresh (readers never see half a table). When the
/// control plane is away the last table keeps serving.
/// </summary>
public sealed class RoutingTable
{
    private readonly Lock _writer = new();
    private FrozenDictionary<string, EngineRoute> _routes = FrozenDictionary<string, EngineRoute>.Empty;
    private FrozenSet<string> _hibernating = FrozenSet<string>.Empty;

    /// <summary>Raised after each replacement (the proxy config provider republishes).</summary>
    public event Action? Changed;

    /// <summary>All routes.</summary>
    public IReadOnlyCollection<EngineRoute> Routes => _routes.Values;

    /// <summary>The change-feed position the table reflects.</summary>
    public long Version { get; private set; }

    /// <summary>The tenant's route, or null when its engine does not run.</summary>
    public EngineRoute? Find(string tenantId) => _routes.GetValueOrDefault(tenantId);

    /// <summary>True when the tenant's engine hibernates (or is waking): its requests are held while it is woken.</summary>
    public bool IsHibernating(string tenantId) => _hibernating.Contains(tenantId);

    /// <summary>Replaces the table with the control plane's.</summary>
    public void Replace(RouteTable table)
    {
        ArgumentNullException.ThrowIfNull(table);
        lock (_writer)
        {
            _routes = table.Routes
                .Where(r => r.State == RouteStates.Running)
                .ToFrozenDictionary(r => r.TenantId, ToRoute, StringComparer.Ordinal);
            _hibernating = table.Routes
                .Where(r => r.State is RouteStates.Hibernating or RouteStates.Waking)
                .Select(r => r.TenantId).ToFrozenSet(StringComparer.Ordinal);
            Version = table.Version;
        }

        Changed?.Invoke();
    }

    /// <summary>
    /// Adds the route of an engine just woken (the wake's answer), so held requests go on without waiting for the
    /// change feed; the next reload brings the same route.
    /// </summary>
    public void Woke(RouteInfo route)
    {
        ArgumentNullException.ThrowIfNull(route);
        lock (_writer)
        {
            var routes = new Dictionary<string, EngineRoute>(_routes, StringComparer.Ordinal) { [route.TenantId] = ToRoute(route) };
            _routes = routes.ToFrozenDictionary(StringComparer.Ordinal);
            _hibernating = _hibernating.Where(t => t != route.TenantId).ToFrozenSet(StringComparer.Ordinal);
        }

        Changed?.Invoke();
    }

    private static EngineRoute ToRoute(RouteInfo r) => new(r.TenantId, new Uri(r.Endpoint), Convert.FromBase64String(r.EngineSecret));
}
