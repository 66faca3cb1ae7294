using Piramid.Gateway.Routing;
using Piramid.ServiceDefaults;
using Yarp.ReverseProxy.Model;

namespace Piramid.Gateway.Forwarding;

/// <summary>
/// Middleware before the door (<see cref="DataRoutes"/>): a member's data request,
/// <c>/v1/tenants/{id}/collections/...</c>, becomes the key's path <c>/v1/collections/...</c>, so the route table, the
/// access check, the limits and the engine see one API. The tenant stays in the route values (the member scheme
/// reads it there); problems keep naming the path the client called.
/// </summary>
public static class MemberPaths
{
    /// <summary>Set in <see cref="HttpContext.Items"/> on a rewritten request; its raw target starts with the tenant prefix.</summary>
    public const string RewrittenItem = "piramid.member-path";

    /// <summary>True when the route is one of the member data routes.</summary>
    public static bool IsMemberRoute(string? routeId) =>
        routeId is not null && routeId.StartsWith(GatewayProxyConfig.MemberDataRoutes, StringComparison.Ordinal);

    /// <summary>The middleware.</summary>
    public static Task RewriteAsync(HttpContext context, RequestDelegate next)
    {
        ArgumentNullException.ThrowIfNull(context);
        ArgumentNullException.ThrowIfNull(next);
        if (!IsMemberRoute(context.GetEndpoint()?.Metadata.GetMetadata<RouteModel>()?.Config.RouteId))
        {
            return next(context);
        }

        var path = context.Request.Path.Value!;
        ProblemDefaults.SetClientPath(context, context.Request.PathBase.Add(context.Request.Path).Value);
        context.Request.Path = new PathString("/v1" + path[AfterTenant(path)..]);
        context.Items[RewrittenItem] = true;
        return next(context);
    }

    /// <summary>
    /// The key's path for a raw request target of a member route: the segments <c>/v1/tenants/{id}</c> become
    /// <c>/v1</c> (the id holds no <c>/</c>: Kestrel keeps <c>%2F</c> encoded and the route matched one segment).
    /// </summary>
    public static string KeyPath(string rawPath)
    {
        ArgumentNullException.ThrowIfNull(rawPath);
        return "/v1" + rawPath[AfterTenant(rawPath)..];
    }

    // Index of the '/' after "/v1/tenants/{id}".
    private static int AfterTenant(string path)
    {
        var idStart = path.IndexOf('/', "/v1/".Length) + 1;
        return path.IndexOf('/', idStart);
    }
}
