using System.Security.Claims;
using Piramid.Contracts.Identity;
using Piramid.Gateway.Authentication;

namespace Piramid.Gateway.Forwarding;

/// <summary>
/// What a tenant role may do on the data API: <c>read_only</c> reads and searches, <c>read_write</c> also
/// writes points, <c>admin</c> also manages collections. A scoped key reaches only its collections.
/// </summary>
public static class TenantAccess
{
    private static readonly string[] ReadOperations = ["search", "recommend", "scroll", "count"];

    /// <summary>Null when allowed, else the reason for a 403.</summary>
    public static string? Check(ClaimsPrincipal user, string method, string path)
    {
        ArgumentNullException.ThrowIfNull(user);
        ArgumentNullException.ThrowIfNull(path);
        var role = user.FindFirstValue(GatewayClaims.Role);
        var segments = path.Split('/', StringSplitOptions.RemoveEmptyEntries); // v1, collections, {name}, ...
        var collection = segments.Length > 2 ? Uri.UnescapeDataString(segments[2]) : null;
        var scope = user.FindAll(GatewayClaims.Collection).Select(c => c.Value).ToList();
        if (collection is not null && scope.Count > 0 && !scope.Contains(collection, StringComparer.Ordinal))
        {
            return $"This key is not allowed to use collection '{collection}'.";
        }

        var needed = Needed(method, segments);
        return needed switch
        {
            Roles.ReadOnly => null,
            Roles.ReadWrite when role is Roles.ReadWrite or Roles.Admin => null,
            Roles.Admin when role is Roles.Admin => null,
            _ => $"The role '{role}' may not {Describe(needed)}.",
        };
    }

    /// <summary>True when the call writes (points or collections), for the write bucket and write units.</summary>
    public static bool IsWrite(string method, string path)
    {
        ArgumentNullException.ThrowIfNull(path);
        return Needed(method, path.Split('/', StringSplitOptions.RemoveEmptyEntries)) != Roles.ReadOnly;
    }

    private static string Needed(string method, string[] segments)
    {
        if (segments.Length <= 3)
        {
            // The collection itself: list and describe are reads, create and delete are management.
            return HttpMethods.IsGet(method) || HttpMethods.IsHead(method) ? Roles.ReadOnly : Roles.Admin;
        }

        if (HttpMethods.IsGet(method) || HttpMethods.IsHead(method))
        {
            return Roles.ReadOnly;
        }

        var operation = segments[3];
        if (ReadOperations.Contains(operation) || (operation == "points" && segments.Length == 5 && segments[4] == "get" && HttpMethods.IsPost(method)))
        {
            return Roles.ReadOnly;
        }

        return Roles.ReadWrite;
    }

    private static string Describe(string needed) => needed == Roles.Admin ? "manage collections" : "write points";
}
