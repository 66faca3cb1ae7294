using Microsoft.AspNetCore.Authorization;
using Piramid.Contracts.Problems;
using Piramid.Gateway.Forwarding;
using Piramid.Gateway.Routing;
using Yarp.ReverseProxy.Model;

namespace Piramid.Gateway.Authorization;

/// <summary>
/// Requirement of the tenant routes: the key's role suffices for the route and its collection scope covers the
/// collection (data routes, <see cref="TenantAccess"/>); on the control plane's routes the control plane decides
/// (<see cref="KeyOnControlPlane"/>). A refusal is a 403 <c>forbidden</c> naming what the key may not do.
/// </summary>
public sealed class TenantRouteAccess : AuthorizationHandler<TenantRouteAccess>, IAuthorizationRequirement
{
    /// <inheritdoc />
    protected override Task HandleRequirementAsync(AuthorizationHandlerContext context, TenantRouteAccess requirement)
    {
        ArgumentNullException.ThrowIfNull(context);
        if (context.Resource is not HttpContext http || http.GetEndpoint()?.Metadata.GetMetadata<RouteModel>() is not { } route)
        {
            // Not a proxied route: nothing this requirement knows how to judge.
            context.Fail(new TenantRefusal(this, 1, ProblemCatalog.Forbidden, "The credential is valid but may not do this."));
            return Task.CompletedTask;
        }

        // The control plane's routes are judged there, once for every credential (KeyOnControlPlane).
        var refused = route.Cluster?.ClusterId == GatewayProxyConfig.EnginesCluster
            ? CheckData(context.User, http)
            : null;
        if (refused is null)
        {
            context.Succeed(requirement);
        }
        else
        {
            context.Fail(new TenantRefusal(this, 1, ProblemCatalog.Forbidden, refused));
        }

        return Task.CompletedTask;
    }

    // The route was matched once, at the door (DataRoutes); a data request without one reaches nothing.
    private static string? CheckData(System.Security.Claims.ClaimsPrincipal user, HttpContext http) =>
        DataRoutes.Of(http) is { } route
            ? TenantAccess.Check(user, route, http.Request.Path.Value ?? "/")
            : "The data API has no route at this path; see the API reference for its routes.";
}
