using Piramid.Contracts.Problems;
using Piramid.Gateway.Routing;
using Piramid.ServiceDefaults;

namespace Piramid.Gateway.Forwarding;

/// <summary>
/// Proxy step: narrows the engines cluster to the caller's tenant's engine, found in the routing table by tenant
/// id, or waits (bounded) for an engine that is starting, or hibernating (asking the control plane to wake it);
/// 503 with <c>Retry-After</c> when there is none within the wait. Every data request counts as the tenant's activity.
/// </summary>
public static class TenantDestination
{
    /// <summary>The step.</summary>
    public static async Task SelectAsync(HttpContext context, RequestDelegate next)
    {
        ArgumentNullException.ThrowIfNull(context);
        ArgumentNullException.ThrowIfNull(next);
        if (EngineRequest.Of(context) is not { } request)
        {
            await next(context);
            return;
        }

        var services = context.RequestServices;
        var table = services.GetRequiredService<RoutingTable>();
        services.GetRequiredService<EngineActivity>().Touch(request.TenantId);
        var route = table.Find(request.TenantId);
        if (route is null && table.IsHibernating(request.TenantId))
        {
            // Scale to zero: the request is held (bounded, below) while the control plane starts the engine.
            services.GetRequiredService<EngineWaker>().Wake(request.TenantId);
        }

        // The route may arrive while this request waits: the proxy's snapshot taken for it predates the route.
        route ??= await services.GetRequiredService<RouteWaiters>().WaitAsync(request.TenantId, context.RequestAborted);
        if (route is null)
        {
            await EngineUnavailable.WriteAsync(context, "The tenant's engine is starting, restarting or waking; retry shortly.");
            return;
        }

        // The transforms sign for this same route: selection and signature agree even if the table changes between.
        request.Route = route;
        context.GetReverseProxyFeature().AvailableDestinations = route.Destinations;
        await next(context);
    }
}
