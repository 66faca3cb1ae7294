using Piramid.Contracts.Problems;
using Piramid.Gateway.Routing;
using Piramid.ServiceDefaults;

namespace Piramid.Gateway.Forwarding;

/// <summary>
/// Proxy step: narrows the engines cluster to the caller's tenant's engine, found in the routing table by tenant
/// id, or waits (bounded) for an engine that is starting; 503 with <c>Retry-After</c> when there is none.
/// </summary>
public static class TenantDestination
{
    /// <summary>The step.</summary>
    public static async Task SelectAsync(HttpContext context, Func<Task> next)
    {
        ArgumentNullException.ThrowIfNull(context);
        ArgumentNullException.ThrowIfNull(next);
        if (EngineRequest.Of(context) is not { } request)
        {
            await next();
            return;
        }

        var route = context.RequestServices.GetRequiredService<RoutingTable>().Find(request.TenantId)
            // The route may arrive while this request waits: the proxy's snapshot taken for it predates the route.
            ?? await context.RequestServices.GetRequiredService<RouteWaiters>().WaitAsync(request.TenantId, context.RequestAborted);
        if (route is null)
        {
            context.Response.Headers.RetryAfter = "2";
            await ProblemResults.WriteAsync(context, ProblemCatalog.EngineUnavailable, "The tenant's engine is starting or restarting; retry shortly.");
            return;
        }

        // The transforms sign for this same route: selection and signature agree even if the table changes between.
        request.Route = route;
        context.GetReverseProxyFeature().AvailableDestinations = route.Destinations;
        await next();
    }
}
