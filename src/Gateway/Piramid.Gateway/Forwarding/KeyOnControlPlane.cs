using System.Net.Http.Headers;
using System.Security.Claims;
using Piramid.Contracts;
using Piramid.Contracts.Admin;
using Piramid.Gateway.Authentication;
using Piramid.Gateway.ControlPlane;
using Piramid.Gateway.Routing;
using Yarp.ReverseProxy.Transforms;

namespace Piramid.Gateway.Forwarding;

/// <summary>
/// A tenant's API key on the control plane: <c>/v1/api-keys</c>, <c>/v1/usage</c> and <c>/v1/audit</c> (the tenant
/// comes from the key) become <c>/v1/tenants/{key's tenant}/...</c>, and <c>/v1/tenants/{id}/...</c> keeps its path.
/// The gateway forwards under its own access token and vouches for the key in
/// <see cref="HeaderNames.KeyTenant"/>, <see cref="HeaderNames.KeyRole"/> and <see cref="HeaderNames.KeyScoped"/>,
/// after removing every client-sent <c>X-Piramid-*</c> header: the control plane believes them only with the
/// gateway's token, and decides itself whether the key may act there (docs/design/tenant-access.md). A token on
/// <c>/v1/tenants/...</c> (an operator's or a member's) is forwarded as it came.
/// </summary>
public static class KeyOnControlPlane
{
    /// <summary>True for the routes whose tenant comes from the key (<c>/v1/api-keys</c>, <c>/v1/usage</c>, <c>/v1/audit</c>).</summary>
    public static bool IsKeyTenantRoute(string? routeId) => routeId?.StartsWith(GatewayProxyConfig.KeyTenantRoutes, StringComparison.Ordinal) == true;

    /// <summary>Rewrites a request of a key-tenant route or of <c>/v1/tenants/...</c> made with a key.</summary>
    public static async ValueTask ForwardAsync(RequestTransformContext transform, ControlPlaneClient controlPlane)
    {
        ArgumentNullException.ThrowIfNull(transform);
        ArgumentNullException.ThrowIfNull(controlPlane);
        var http = transform.HttpContext;
        var headers = transform.ProxyRequest.Headers;
        foreach (var name in headers.Select(h => h.Key).Where(n => n.StartsWith("X-Piramid-", StringComparison.OrdinalIgnoreCase)).ToList())
        {
            headers.Remove(name);
        }

        if (http.Items[ApiKeyAuthenticationHandler.IdentityItem] is not KeyIntrospectionResponse)
        {
            return; // a token: the control plane judges it itself
        }

        var user = http.User;
        var tenant = user.FindFirstValue(GatewayClaims.Tenant)!;
        if (IsKeyTenantRoute(http.GetEndpoint()?.Metadata.GetMetadata<Yarp.ReverseProxy.Model.RouteModel>()?.Config.RouteId))
        {
            // "/v1/api-keys/k1" -> "/v1/tenants/{tenant}/api-keys/k1": the tenant is the key's, never the client's.
            transform.Path = new PathString($"/v1/tenants/{Uri.EscapeDataString(tenant)}{transform.Path.Value!["/v1".Length..]}");
        }

        headers.Remove(HeaderNames.ApiKey);
        headers.Authorization = new AuthenticationHeaderValue("Bearer", await controlPlane.AccessTokenAsync(http.RequestAborted));
        headers.Add(HeaderNames.Actor, "key:" + user.FindFirstValue(GatewayClaims.Principal));
        headers.Add(HeaderNames.KeyTenant, tenant);
        headers.Add(HeaderNames.KeyRole, user.FindFirstValue(GatewayClaims.Role));
        if (user.HasClaim(c => c.Type == GatewayClaims.Collection))
        {
            headers.Add(HeaderNames.KeyScoped, "true");
        }

        // After the strip above, so only the gateway names it: the control plane's problems then carry the public
        // path as their instance.
        var request = http.Request;
        headers.Add(HeaderNames.ClientPath, request.PathBase.Add(request.Path).Value);
    }
}
