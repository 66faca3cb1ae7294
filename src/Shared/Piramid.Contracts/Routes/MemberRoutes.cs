namespace Piramid.Contracts.Routes;

/// <summary>
/// A signed-in member reaches every data route (<see cref="PublicRoutes.Engine"/>) under its tenant's path,
/// <c>/v1/tenants/{tenant_id}/collections/...</c>, with a person's access token (docs/design/tenant-access.md). These
/// are the table's own routes under another prefix, not a second list: same bodies, answers and roles.
/// </summary>
public static class MemberRoutes
{
    /// <summary>The prefix that takes the place of <c>/v1</c> in a data route's template.</summary>
    public const string Prefix = "/v1/tenants/{tenant_id}";

    /// <summary>The member's template of a data route: <c>/v1/collections/{name}</c> -> <c>/v1/tenants/{tenant_id}/collections/{name}</c>.</summary>
    public static string Template(PublicRoute route)
    {
        ArgumentNullException.ThrowIfNull(route);
        return Prefix + route.Template["/v1".Length..];
    }
}
