using Microsoft.Extensions.Diagnostics.HealthChecks;
using Yarp.ReverseProxy;

namespace Piramid.Gateway.Routing;

/// <summary>
/// Readiness: the gateway is ready once the control plane's routing table is loaded and YARP serves it;
/// until then every tenant would get 503. Later outages of the control plane keep it ready (the last
/// table serves).
/// </summary>
public sealed class RoutesReadyCheck(ChangeFeedWatcher watcher, RoutingTable table, IProxyStateLookup proxy) : IHealthCheck
{
    /// <inheritdoc />
    public Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
    {
        if (!watcher.FirstLoad.IsCompletedSuccessfully)
        {
            return Task.FromResult(HealthCheckResult.Unhealthy("The routing table has not been loaded from the control plane yet."));
        }

        if (!proxy.TryGetCluster(GatewayProxyConfig.EnginesCluster, out var engines))
        {
            return Task.FromResult(HealthCheckResult.Unhealthy("The routing table is not applied to the proxy yet."));
        }

        foreach (var route in table.Routes)
        {
            if (!engines.Destinations.ContainsKey(route.TenantId))
            {
                return Task.FromResult(HealthCheckResult.Unhealthy("The routing table is not applied to the proxy yet."));
            }
        }

        return Task.FromResult(HealthCheckResult.Healthy());
    }
}
