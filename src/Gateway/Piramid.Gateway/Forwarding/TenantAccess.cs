using System.Security.Claims;
using Piramid.Contracts.Identity;
using Piramid.Contracts.Routes;
using Piramid.Gateway.Authentication;

namespace Piramid.Gateway.Forwarding;

/// <summary>
/// What a tenant key may do on the data API, read from the route table (<see cref="PublicRoutes"/>): the
/// route's least role, and its collection scope. A path the table does not know never gets here: it is 404 or 405
/// at the door (<see cref="DataRoutes"/>), so a route added to the engine but not to the table reaches no one
/// (docs/design/gateway.md).
/// </summary>
public static class TenantAccess
{
    /// <summary>The data route <paramref name="method"/> and <paramref name="path"/> call, or null when there is none.</summary>
    public static PublicRoute? Route(string method, string path)
    {
        ArgumentNullException.ThrowIfNull(path);
        return PublicRoutes.Match(method, path) is { Service: RouteService.Engine } route ? route : null;
    }

    /// <summary>Null when <paramref name="user"/> may call <paramref name="route"/> at <paramref name="path"/>, else the reason for a 403.</summary>
    public static string? Check(ClaimsPrincipal user, PublicRoute route, string path)
    {
        ArgumentNullException.ThrowIfNull(user);
        ArgumentNullException.ThrowIfNull(route);

        if (route.CollectionScoped && user.HasClaim(c => c.Type == GatewayClaims.Collection))
        {
            var collection = Uri.UnescapeDataString(route.Parameter(path, "name").ToString());
            if (!user.HasClaim(GatewayClaims.Collection, collection))
            {
                return $"This key is not allowed to use collection '{collection}'.";
            }
        }

        var role = user.FindFirstValue(GatewayClaims.Role);
        return route.Admits(role) ? null : $"The role '{role}' may not {Describe(route.Role)}.";
    }

    private static string Describe(string? needed) => needed switch
    {
        Roles.Admin => "manage collections",
        Roles.ReadWrite => "write points",
        _ => "call the data API",
    };
}
