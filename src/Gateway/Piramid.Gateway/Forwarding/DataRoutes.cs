using Piramid.Contracts.Problems;
using Piramid.Contracts.Routes;
using Piramid.Gateway.Routing;
using Piramid.ServiceDefaults;
using Yarp.ReverseProxy.Model;

namespace Piramid.Gateway.Forwarding;

/// <summary>
/// Middleware before authentication: a request to the engines' routes is matched against the route table
/// (<see cref="PublicRoutes"/>) once, here. A path the table does not know is 404 <c>not-found</c>, a known path
/// with another method 405 <c>method-not-allowed</c> with <c>Allow</c>, for every credential and before any lookup
/// or engine; a known route is kept on the request (<see cref="Of"/>) for the access check and the proxy steps.
/// </summary>
public static class DataRoutes
{
    // Every method some data route takes, in the order Allow lists them.
    private static readonly string[] Methods = [.. PublicRoutes.Engine.Select(r => r.Method).Distinct(StringComparer.Ordinal)];

    /// <summary>The data route this request calls, matched by <see cref="CheckAsync"/>; null on other routes.</summary>
    public static PublicRoute? Of(HttpContext context) => context?.Features.Get<PublicRoute>();

    /// <summary>The middleware.</summary>
    public static Task CheckAsync(HttpContext context, RequestDelegate next)
    {
        ArgumentNullException.ThrowIfNull(context);
        ArgumentNullException.ThrowIfNull(next);
        if (context.GetEndpoint()?.Metadata.GetMetadata<RouteModel>()?.Cluster?.ClusterId != GatewayProxyConfig.EnginesCluster)
        {
            return next(context);
        }

        var path = context.Request.Path.Value ?? "/";
        if (TenantAccess.Route(context.Request.Method, path) is { } route)
        {
            // The route object itself is the feature: nothing is allocated per request.
            context.Features.Set(route);
            return next(context);
        }

        var allowed = Allowed(path);
        if (allowed.Length == 0)
        {
            return ProblemResults.WriteAsync(context, ProblemCatalog.NotFound,
                "The data API has no route at this path; see the API reference for its routes.");
        }

        context.Response.Headers.Allow = allowed;
        return ProblemResults.WriteAsync(context, ProblemCatalog.MethodNotAllowed,
            $"This path of the data API takes {allowed}; 'Allow' lists them.");
    }

    /// <summary>The methods the table serves at <paramref name="path"/>, comma separated; empty when none.</summary>
    public static string Allowed(string path) =>
        string.Join(", ", Methods.Where(m => TenantAccess.Route(m, path) is not null));
}
