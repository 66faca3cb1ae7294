using System.Security.Claims;
using Piramid.Contracts.Identity;
using Piramid.Contracts.Routes;
using Piramid.Gateway.Authentication;
using Piramid.Gateway.Forwarding;

namespace Piramid.Gateway.Tests;

/// <summary>The gateway's role and billing decision for a data call is the route table's, and nothing else.</summary>
public sealed class RouteTableAccessTests
{
    private static readonly string[] TenantRoles = [Roles.ReadOnly, Roles.ReadWrite, Roles.Admin];

    [Fact]
    public void EveryDataRoute_AdmitsTheTablesRoles_AndIsBilledAsTheTableSays()
    {
        foreach (var route in PublicRoutes.Engine)
        {
            var path = Concrete(route.Template, "docs");
            foreach (var role in TenantRoles)
            {
                var refused = TenantAccess.Check(Key(role), route, path);
                Assert.True((refused is null) == route.Admits(role), $"{role} on {route}: {refused ?? "admitted"}");
            }

            Assert.Same(route, TenantAccess.Route(route.Method, path));
        }
    }

    [Theory]
    [InlineData("DELETE", "/v1/collections/docs/count")]
    [InlineData("PUT", "/v1/collections/docs/search")]
    [InlineData("POST", "/v1/collections/docs/search/anything")]
    [InlineData("POST", "/v1/collections/docs/unknown")]
    [InlineData("GET", "/v1/collections/docs/points/a/b")]
    [InlineData("PATCH", "/v1/collections/docs/points")]
    [InlineData("GET", "/v1/collections/docs/points/")]
    public void APathTheTableDoesNotKnow_MatchesNoRoute(string method, string path)
    {
        Assert.Null(TenantAccess.Route(method, path));
    }

    [Fact]
    public void AKeyWithoutAKnownRole_ReachesNothing()
    {
        Assert.NotNull(TenantAccess.Check(Key(null), PublicRoutes.CollectionsList, "/v1/collections"));
        Assert.NotNull(TenantAccess.Check(Key("owner"), PublicRoutes.Search, "/v1/collections/docs/search"));
    }

    [Fact]
    public void AScopedKey_ReachesOnlyItsCollections_OnEveryScopedRoute()
    {
        var key = Key(Roles.Admin, "docs", "a-b");
        foreach (var route in PublicRoutes.Engine)
        {
            Assert.Null(TenantAccess.Check(key, route, Concrete(route.Template, "a-b")));
            var other = TenantAccess.Check(key, route, Concrete(route.Template, "other"));
            Assert.True((other is not null) == route.CollectionScoped, $"{route}: {other ?? "admitted"}");
        }
    }

    private static string Concrete(string template, string collection) =>
        template.Replace("{name}", collection, StringComparison.Ordinal).Replace("{id}", "p%2F1", StringComparison.Ordinal);

    private static ClaimsPrincipal Key(string? role, params string[] collections)
    {
        var claims = new List<Claim> { new(GatewayClaims.Tenant, "t1"), new(GatewayClaims.Principal, "k1") };
        if (role is not null)
        {
            claims.Add(new Claim(GatewayClaims.Role, role));
        }

        claims.AddRange(collections.Select(c => new Claim(GatewayClaims.Collection, c)));
        return new ClaimsPrincipal(new ClaimsIdentity(claims, "test"));
    }
}
