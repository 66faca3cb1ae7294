using System.Net.Http.Headers;
using System.Security.Claims;
using Piramid.Contracts;
using Piramid.Contracts.Identity;
using Piramid.Gateway.Authentication;
using Piramid.Gateway.ControlPlane;
using Piramid.Gateway.Routing;
using Yarp.ReverseProxy.Transforms;

namespace Piramid.Gateway.Forwarding;

/// <summary>
/// <c>/v1/api-keys</c>: a tenant's admin key manages its own tenant's keys. The gateway forwards to the control
/// plane's internal key routes for the key's tenant, under the gateway's own token, naming the acting key for
/// the audit trail. The tenant comes from the key, never from the path, so no key reaches another tenant.
/// </summary>
public static class TenantKeys
{
    /// <summary>True for the routes of <c>/v1/api-keys</c>.</summary>
    public static bool IsRoute(string? routeId) => routeId?.StartsWith(GatewayProxyConfig.TenantKeysRoute, StringComparison.Ordinal) == true;

    /// <summary>Null when the key may manage keys: an admin key without a collection scope (a scoped key could mint an unscoped one).</summary>
    public static string? Check(ClaimsPrincipal user)
    {
        ArgumentNullException.ThrowIfNull(user);
        if (user.FindFirstValue(GatewayClaims.Role) != Roles.Admin)
        {
            return "Only an admin key may manage API keys.";
        }

        return user.HasClaim(c => c.Type == GatewayClaims.Collection)
            ? "A key limited to collections may not manage API keys."
            : null;
    }

    /// <summary>Rewrites the request for the control plane's internal key routes.</summary>
    public static async ValueTask ForwardAsync(RequestTransformContext transform, ControlPlaneClient controlPlane)
    {
        ArgumentNullException.ThrowIfNull(transform);
        ArgumentNullException.ThrowIfNull(controlPlane);
        var user = transform.HttpContext.User;
        var tenant = Uri.EscapeDataString(user.FindFirstValue(GatewayClaims.Tenant)!);
        var rest = transform.Path.Value!["/v1/api-keys".Length..];
        transform.Path = new PathString($"/internal/v1/tenants/{tenant}/api-keys{rest}");
        var headers = transform.ProxyRequest.Headers;
        foreach (var name in headers.Select(h => h.Key).Where(n => n.StartsWith("X-Piramid-", StringComparison.OrdinalIgnoreCase)).ToList())
        {
            headers.Remove(name);
        }

        headers.Remove(HeaderNames.ApiKey);
        headers.Authorization = new AuthenticationHeaderValue("Bearer", await controlPlane.AccessTokenAsync(transform.HttpContext.RequestAborted));
        headers.Add(HeaderNames.Actor, "key:" + user.FindFirstValue(GatewayClaims.Principal));

        // After the strip above, so only the gateway names it: the control plane's problems then carry the public
        // path as their instance, never the /internal route.
        var request = transform.HttpContext.Request;
        headers.Add(HeaderNames.ClientPath, request.PathBase.Add(request.Path).Value);
    }
}
