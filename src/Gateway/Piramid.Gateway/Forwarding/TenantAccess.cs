using System.Security.Claims;
using Piramid.Contracts.Identity;
using Piramid.Contracts.Routes;
using Piramid.Gateway.Authentication;

namespace Piramid.Gateway.Forwarding;

/// <summary>
/// What a tenant key may do on the data API, read from the route table (<see cref="PublicRoutes"/>): the
/// route's least role, and its collection scope. A path the table does not know is refused with 403 rather
/// than guessed at, so a route added to the engine but not to the table reaches no one (docs/design/gateway.md).
/// </summary>
public static class TenantAccess
{
    /// <summary>The data route <paramref name="method"/> and <paramref name="path"/> call, or null when there is none.</summary>
    public static PublicRoute? Route(string method, string path)
    {
        ArgumentNullException.ThrowIfNull(path);
        return PublicRoutes.Match(method, path) is { Service: RouteService.Engine } route ? route : null;
    }

    /// <summary>Null when allowed, else the reason for a 403.</summary>
    public static string? Check(ClaimsPrincipal user, string method, string path)
    {
        ArgumentNullException.ThrowIfNull(user);
        if (Route(method, path) is not { } route)
        {
            return $"The data API has no route {method} {path}; see the API reference for its routes and methods.";
        }

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

    /// <summary>True when the call writes (points or collections), for the write bucket and write units.</summary>
    /// <remarks>A path the table does not know counts as a write; <see cref="Check"/> refuses it anyway.</remarks>
    public static bool IsWrite(string method, string path) => Route(method, path)?.Units != UnitKind.Read;

    private static string Describe(string? needed) => needed switch
    {
        Roles.Admin => "manage collections",
        Roles.ReadWrite => "write points",
        _ => "call the data API",
    };
}
