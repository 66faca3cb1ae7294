using System.Security.Claims;
using Piramid.Contracts.Admin;
using Piramid.Contracts.Problems;
using Piramid.Contracts.Routes;
using Piramid.Gateway.Authentication;
using Piramid.Gateway.Routing;
using Piramid.ServiceDefaults;

namespace Piramid.Gateway.Forwarding;

/// <summary>
/// What the proxy steps of a data request share, worked out once by <see cref="DescribeAsync"/>: the tenant, its
/// key's introspection (with the plan) and the route of the table it calls (matched once, by <see cref="DataRoutes"/>),
/// which says whether it writes. Absent on routes to the control plane.
/// </summary>
public sealed class EngineRequest
{
    private EngineRequest(string tenantId, KeyIntrospectionResponse? key, PublicRoute dataRoute)
    {
        TenantId = tenantId;
        Key = key;
        DataRoute = dataRoute;
    }

    /// <summary>The caller's tenant (from the key, never from the request).</summary>
    public string TenantId { get; }

    /// <summary>The key's introspection, with its plan.</summary>
    public KeyIntrospectionResponse? Key { get; }

    /// <summary>The route of the table the call matched.</summary>
    public PublicRoute DataRoute { get; }

    /// <summary>True when the call writes: the write bucket, quota and units apply.</summary>
    public bool Write => DataRoute.Units != UnitKind.Read;

    /// <summary>The engine the request goes to, set by <see cref="TenantDestination"/>.</summary>
    public EngineRoute? Route { get; internal set; }

    /// <summary>The data request being proxied, or null on other routes.</summary>
    public static EngineRequest? Of(HttpContext context) => context?.Features.Get<EngineRequest>();

    /// <summary>Middleware after authorization: describes requests to the engines cluster for the steps after it.</summary>
    public static Task DescribeAsync(HttpContext context, RequestDelegate next)
    {
        ArgumentNullException.ThrowIfNull(context);
        ArgumentNullException.ThrowIfNull(next);
        // Middleware before the proxy: the door (DataRoutes) matched a data route on the engines' routes only.
        if (DataRoutes.Of(context) is not { } route)
        {
            return next(context);
        }

        // The routes' policy requires the claim; without it no engine is chosen, rather than the cluster's first.
        if (context.User.FindFirstValue(GatewayClaims.Tenant) is not { } tenant)
        {
            return ProblemResults.WriteAsync(context, ProblemCatalog.Forbidden, "The credential names no tenant.");
        }

        var key = context.Items[ApiKeyAuthenticationHandler.IdentityItem] as KeyIntrospectionResponse;
        context.Features.Set(new EngineRequest(tenant, key, route));
        return next(context);
    }
}
