using System.Collections.Frozen;
using Piramid.Contracts.Identity;

namespace Piramid.Contracts.Routes;

/// <summary>
/// Every public route behind the gateway, written once: the gateway takes a call's role and billing kind from
/// here, the engine maps its endpoints and checks roles from here, and the route tests hold the engine, the
/// control plane and docs/openapi.json to it (docs/design/gateway.md, "The route table").
/// </summary>
public static class PublicRoutes
{
    private const string Collection = "/v1/collections/{name}";

    /// <summary>GET /v1/collections.</summary>
    public static PublicRoute CollectionsList { get; } = Data("collections.list", "GET", "/v1/collections", Roles.ReadOnly, scoped: false);

    /// <summary>PUT /v1/collections/{name}.</summary>
    public static PublicRoute CollectionsCreate { get; } = Data("collections.create", "PUT", Collection, Roles.Admin);

    /// <summary>GET /v1/collections/{name}.</summary>
    public static PublicRoute CollectionsDescribe { get; } = Data("collections.describe", "GET", Collection, Roles.ReadOnly);

    /// <summary>DELETE /v1/collections/{name}.</summary>
    public static PublicRoute CollectionsDelete { get; } = Data("collections.delete", "DELETE", Collection, Roles.Admin);

    /// <summary>POST /v1/collections/{name}/points.</summary>
    public static PublicRoute PointsUpsert { get; } = Data("points.upsert", "POST", Collection + "/points", Roles.ReadWrite);

    /// <summary>GET /v1/collections/{name}/points/{id}.</summary>
    public static PublicRoute PointsGet { get; } = Data("points.get", "GET", Collection + "/points/{id}", Roles.ReadOnly);

    /// <summary>POST /v1/collections/{name}/points/get.</summary>
    public static PublicRoute PointsGetMany { get; } = Data("points.get_many", "POST", Collection + "/points/get", Roles.ReadOnly);

    /// <summary>PATCH /v1/collections/{name}/points/{id}.</summary>
    public static PublicRoute PointsUpdate { get; } = Data("points.update", "PATCH", Collection + "/points/{id}", Roles.ReadWrite);

    /// <summary>POST /v1/collections/{name}/points/delete.</summary>
    public static PublicRoute PointsDelete { get; } = Data("points.delete", "POST", Collection + "/points/delete", Roles.ReadWrite);

    /// <summary>POST /v1/collections/{name}/search.</summary>
    public static PublicRoute Search { get; } = Data("points.search", "POST", Collection + "/search", Roles.ReadOnly);

    /// <summary>POST /v1/collections/{name}/search/batch.</summary>
    public static PublicRoute SearchBatch { get; } = Data("points.search_batch", "POST", Collection + "/search/batch", Roles.ReadOnly);

    /// <summary>POST /v1/collections/{name}/search/groups.</summary>
    public static PublicRoute SearchGroups { get; } = Data("points.search_groups", "POST", Collection + "/search/groups", Roles.ReadOnly);

    /// <summary>POST /v1/collections/{name}/recommend.</summary>
    public static PublicRoute Recommend { get; } = Data("points.recommend", "POST", Collection + "/recommend", Roles.ReadOnly);

    /// <summary>POST /v1/collections/{name}/scroll.</summary>
    public static PublicRoute Scroll { get; } = Data("points.scroll", "POST", Collection + "/scroll", Roles.ReadOnly);

    /// <summary>POST /v1/collections/{name}/count.</summary>
    public static PublicRoute Count { get; } = Data("points.count", "POST", Collection + "/count", Roles.ReadOnly);

    /// <summary>
    /// The control plane's public routes. <c>/v1/api-keys</c>, <c>/v1/usage</c> and <c>/v1/audit</c> are a tenant
    /// admin key's own tenant (the gateway forwards them to <c>/v1/tenants/{key's tenant}/...</c>); the routes under
    /// <c>/v1/tenants/{id}/</c> with a tenant role are open to that tenant itself as well as to operators
    /// (docs/design/tenant-access.md); the rest is the operators' admin API and the token endpoint.
    /// </summary>
    public static IReadOnlyList<PublicRoute> ControlPlane { get; } =
    [
        Admin("api-keys.create", "POST", "/v1/api-keys", Roles.Admin),
        Admin("api-keys.list", "GET", "/v1/api-keys", Roles.Admin),
        Admin("api-keys.revoke", "DELETE", "/v1/api-keys/{key_id}", Roles.Admin),
        Admin("api-keys.rotate", "POST", "/v1/api-keys/{key_id}/rotate", Roles.Admin),
        Admin("usage.get", "GET", "/v1/usage", Roles.Admin),
        Admin("audit.list", "GET", "/v1/audit", Roles.Admin),
        Admin("tenants.create", "POST", "/v1/tenants", Roles.PlatformAdmin),
        Admin("tenants.list", "GET", "/v1/tenants", Roles.PlatformAdmin),
        Admin("tenants.get", "GET", "/v1/tenants/{id}", Roles.ReadOnly),
        Admin("tenants.update", "PATCH", "/v1/tenants/{id}", Roles.PlatformAdmin),
        Admin("tenants.delete", "DELETE", "/v1/tenants/{id}", Roles.PlatformAdmin),
        Admin("tenants.suspend", "POST", "/v1/tenants/{id}/suspend", Roles.PlatformAdmin),
        Admin("tenants.resume", "POST", "/v1/tenants/{id}/resume", Roles.PlatformAdmin),
        Admin("tenants.api-keys.create", "POST", "/v1/tenants/{id}/api-keys", Roles.Admin),
        Admin("tenants.api-keys.list", "GET", "/v1/tenants/{id}/api-keys", Roles.Admin),
        Admin("tenants.api-keys.revoke", "DELETE", "/v1/tenants/{id}/api-keys/{key_id}", Roles.Admin),
        Admin("tenants.api-keys.rotate", "POST", "/v1/tenants/{id}/api-keys/{key_id}/rotate", Roles.Admin),
        Admin("tenants.members.list", "GET", "/v1/tenants/{id}/members", Roles.ReadOnly),
        Admin("tenants.members.update", "PATCH", "/v1/tenants/{id}/members/{user_id}", Roles.Admin),
        Admin("tenants.members.remove", "DELETE", "/v1/tenants/{id}/members/{user_id}", Roles.ReadOnly),
        Admin("tenants.invitations.create", "POST", "/v1/tenants/{id}/invitations", Roles.Admin),
        Admin("invitations.accept", "POST", "/v1/invitations/accept", null),
        Admin("tenants.usage", "GET", "/v1/tenants/{id}/usage", Roles.Admin),
        Admin("tenants.audit", "GET", "/v1/tenants/{id}/audit", Roles.Admin),
        Admin("plans.list", "GET", "/v1/plans", Roles.PlatformAdmin),
        Admin("plans.put", "PUT", "/v1/plans/{id}", Roles.PlatformAdmin),
        Admin("connect.token", "POST", "/connect/token", null),
        // People: sign-up has no credential; /v1/me takes a person's token (any user, no role).
        Admin("accounts.signup", "POST", "/v1/signup", null),
        Admin("me.get", "GET", "/v1/me", null),
        Admin("me.password", "POST", "/v1/me/password", null),
        Admin("me.totp", "POST", "/v1/me/totp", null),
        Admin("me.totp.confirm", "POST", "/v1/me/totp/confirm", null),
    ];

    /// <summary>The data API: the engine's routes, exposed by the gateway as they are.</summary>
    public static IReadOnlyList<PublicRoute> Engine { get; } =
    [
        CollectionsList, CollectionsCreate, CollectionsDescribe, CollectionsDelete,
        PointsUpsert, PointsGet, PointsGetMany, PointsUpdate, PointsDelete,
        Search, SearchBatch, SearchGroups, Recommend, Scroll, Count,
    ];

    /// <summary>Every public route.</summary>
    public static IReadOnlyList<PublicRoute> All { get; } = [.. Engine, .. ControlPlane];

    // Per method, in precedence order: where two templates fit one path (a literal segment and a parameter), the
    // literal wins, as in routing. Kestrel hands the method as an interned constant, so the lookup is a hash of it.
    private static readonly FrozenDictionary<string, PublicRoute[]> ByMethod = All
        .GroupBy(r => r.Method, StringComparer.OrdinalIgnoreCase)
        .ToFrozenDictionary(g => g.Key, g => g.Order(Comparer<PublicRoute>.Create((a, b) => a.ComparePrecedence(b))).ToArray(), StringComparer.OrdinalIgnoreCase);

    /// <summary>
    /// The route <paramref name="method"/> and <paramref name="path"/> (no query string) call, or null. The path
    /// is matched segment by segment as received (an escaped <c>%2F</c> stays inside its segment); nothing is
    /// allocated. Only the method's routes with as many segments as the path are walked.
    /// </summary>
    public static PublicRoute? Match(string method, ReadOnlySpan<char> path)
    {
        ArgumentNullException.ThrowIfNull(method);
        if (!ByMethod.TryGetValue(method, out var routes))
        {
            return null;
        }

        var segments = PublicRoute.CountSegments(path);
        foreach (var route in routes)
        {
            if (route.SegmentCount == segments && route.Matches(path))
            {
                return route;
            }
        }

        return null;
    }

    private static PublicRoute Data(string name, string method, string template, string role, bool scoped = true) =>
        new(name, method, template, role, role == Roles.ReadOnly ? UnitKind.Read : UnitKind.Write, scoped, RouteService.Engine);

    private static PublicRoute Admin(string name, string method, string template, string? role) =>
        new(name, method, template, role, method == "GET" ? UnitKind.Read : UnitKind.Write, collectionScoped: false, RouteService.ControlPlane);
}
