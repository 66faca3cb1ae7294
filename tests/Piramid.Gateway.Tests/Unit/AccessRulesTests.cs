using System.Security.Claims;
using Piramid.Contracts.Identity;
using Piramid.Contracts.Routes;
using Piramid.Gateway.Authentication;
using Piramid.Gateway.Forwarding;

namespace Piramid.Gateway.Tests.Unit;

/// <summary>What each tenant role may do on each data route, and what a collection scope lets through.</summary>
public sealed class AccessRulesTests
{
    // Every data route of docs/API.md with the least role it needs.
    public static TheoryData<string, string, string> Routes => new()
    {
        { "GET", "/v1/collections", Roles.ReadOnly },
        { "GET", "/v1/collections/books", Roles.ReadOnly },
        { "PUT", "/v1/collections/books", Roles.Admin },
        { "DELETE", "/v1/collections/books", Roles.Admin },
        { "POST", "/v1/collections/books/points", Roles.ReadWrite },
        { "GET", "/v1/collections/books/points/p1", Roles.ReadOnly },
        { "POST", "/v1/collections/books/points/get", Roles.ReadOnly },
        { "PATCH", "/v1/collections/books/points/p1", Roles.ReadWrite },
        { "POST", "/v1/collections/books/points/delete", Roles.ReadWrite },
        { "POST", "/v1/collections/books/scroll", Roles.ReadOnly },
        { "POST", "/v1/collections/books/count", Roles.ReadOnly },
        { "POST", "/v1/collections/books/search", Roles.ReadOnly },
        { "POST", "/v1/collections/books/search/batch", Roles.ReadOnly },
        { "POST", "/v1/collections/books/search/groups", Roles.ReadOnly },
        { "POST", "/v1/collections/books/recommend", Roles.ReadOnly },
    };

    [Theory]
    [MemberData(nameof(Routes))]
    public void EachRole_IsAllowedExactlyTheRoutesItsRankReaches(string method, string path, string needed)
    {
        string[] ranked = [Roles.ReadOnly, Roles.ReadWrite, Roles.Admin];
        foreach (var role in ranked)
        {
            var allowed = Array.IndexOf(ranked, role) >= Array.IndexOf(ranked, needed);
            var refusal = Check(User(role), method, path);
            Assert.True(allowed == refusal is null, $"{role} {method} {path}: {refusal ?? "allowed"}");
            if (!allowed)
            {
                Assert.Contains($"'{role}'", refusal, StringComparison.Ordinal);
            }
        }

        Assert.Equal(needed != Roles.ReadOnly, TenantAccess.Route(method, path)!.Units == UnitKind.Write);
    }

    [Theory]
    [InlineData("books", "/v1/collections/books/search", true)]
    [InlineData("books", "/v1/collections/films/search", false)]
    [InlineData("books", "/v1/collections/films/points", false)]
    [InlineData("a b", "/v1/collections/a%20b/search", true)]
    [InlineData("books", "/v1/collections/Books/search", false)]
    public void AScopedKey_ReachesOnlyItsCollections(string scope, string path, bool allowed)
    {
        var refusal = Check(User(Roles.Admin, scope), "POST", path);
        Assert.Equal(allowed, refusal is null);
        if (!allowed)
        {
            Assert.Contains("collection", refusal, StringComparison.Ordinal);
        }
    }

    [Fact]
    public void AnUnscopedKey_ReachesEveryCollection()
    {
        Assert.Null(Check(User(Roles.ReadOnly), "POST", "/v1/collections/anything/search"));
    }

    [Fact]
    public void AnUnknownRole_ReachesNothing()
    {
        // The route table ranks only known roles; a role it does not know is below read_only.
        var user = User("owner");
        Assert.NotNull(Check(user, "GET", "/v1/collections/books"));
        Assert.NotNull(Check(user, "POST", "/v1/collections/books/search"));
        Assert.NotNull(Check(user, "POST", "/v1/collections/books/points"));
        Assert.NotNull(Check(user, "PUT", "/v1/collections/books"));
    }

    private static string? Check(ClaimsPrincipal user, string method, string path) =>
        TenantAccess.Check(user, TenantAccess.Route(method, path) ?? throw new InvalidOperationException($"no route {method} {path}"), path);

    private static ClaimsPrincipal User(string role, params string[] collections) => new(new ClaimsIdentity(
        [new Claim(GatewayClaims.Tenant, "t1"), new Claim(GatewayClaims.Role, role), .. collections.Select(c => new Claim(GatewayClaims.Collection, c))],
        "test"));
}
