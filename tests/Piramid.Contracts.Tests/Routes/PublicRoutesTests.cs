using System.Text.RegularExpressions;
using Piramid.Contracts.Identity;
using Piramid.Contracts.Routes;
using Piramid.TestKit;

namespace Piramid.Contracts.Tests.Routes;

public sealed class PublicRoutesTests
{
    private static readonly string[] Awkward = ["%", "/", "+", " ", "?", "#", "%2F", "%25", "&", "=", ";", "\\", "..", ".", "~", "'", "\"", ":", "@", "é", "中", "😀", "get", "delete", "{id}"];

    [Fact]
    public void EveryTemplate_MatchesConcretePathsWithAwkwardIds_AndNoOtherRouteDoes()
    {
        var random = new Random(20261206);
        var ids = AwkwardIds.Generate(random, Awkward, Awkward.Concat(["get", "delete", "rotate", "search", "batch", "a/b/c", "/", "%2F"]), 60);
        foreach (var route in PublicRoutes.All)
        {
            foreach (var id in ids)
            {
                var name = CollectionName(random);
                // As the client sends it, and as Kestrel hands it on (decoded, except that %2F stays escaped).
                foreach (var path in new[] { Concrete(route.Template, name, Uri.EscapeDataString(id)), Concrete(route.Template, name, id.Replace("/", "%2F", StringComparison.Ordinal)) })
                {
                    var label = $"{route} as {AwkwardIds.Show(path)}";
                    Assert.True(PublicRoutes.Match(route.Method, path) == route, $"{label} matched {PublicRoutes.Match(route.Method, path)}");
                    Assert.True(PublicRoutes.Match(route.Method.ToLowerInvariant(), path + "/") == route, $"{label} with a trailing slash");
                    var others = PublicRoutes.All.Where(r => r != route && r.Method == route.Method && r.Matches(path)).ToList();
                    Assert.True(others.Count == 0, $"{label} also matches {string.Join(", ", others)}");
                    if (route.Template.Contains("{name}", StringComparison.Ordinal))
                    {
                        Assert.Equal(name, route.Parameter(path, "name").ToString());
                    }
                }
            }
        }
    }

    [Fact]
    public void EveryDocumentedRoute_IsInTheTable()
    {
        string[] methods = ["get", "put", "post", "delete", "patch", "head", "options"];
        var documented = OpenApiDocument.Document["paths"]!.AsObject()
            .SelectMany(p => methods.Where(m => p.Value![m] is not null).Select(m => (Method: m.ToUpperInvariant(), Path: p.Key)))
            .ToList();
        Assert.True(documented.Count >= PublicRoutes.All.Count, $"only {documented.Count} documented routes");
        // A table route at its own template, or a data route under a member's tenant prefix (MemberRoutes).
        Assert.All(documented, d => Assert.True(
            PublicRoutes.All.Any(r => r.Method == d.Method && r.Template == d.Path)
                || PublicRoutes.Engine.Any(r => r.Method == d.Method && MemberRoutes.Template(r) == d.Path),
            $"{d.Method} {d.Path} is documented but not in the route table"));
        Assert.All(PublicRoutes.All, r => Assert.True(OpenApiDocument.Documents(r.Method, r.Template), $"{r} is not in docs/openapi.json"));
    }

    [Theory]
    [InlineData("GET", "")]
    [InlineData("GET", "/")]
    [InlineData("GET", "/v1")]
    [InlineData("GET", "v1/collections")]
    [InlineData("GET", "/v2/collections")]
    [InlineData("GET", "/v1/collections//")]
    [InlineData("POST", "/v1/collections")]
    [InlineData("POST", "/v1/collections//search")]
    [InlineData("POST", "/v1/collections/docs/unknown")]
    [InlineData("PUT", "/v1/collections/docs/search")]
    [InlineData("POST", "/v1/collections/docs/search/batch/more")]
    [InlineData("GET", "/v1/collections/docs/points/a/b")]
    [InlineData("GET", "/v1/collections/docs/points/")]
    [InlineData("HEAD", "/v1/collections")]
    [InlineData("GET", "/internal/v1/routes")]
    [InlineData("POST", "/internal/v1/tenants/t/api-keys")]
    [InlineData("GET", "/health/live")]
    [InlineData("GET", "/connect/token")]
    public void UnknownPath_MatchesNothing(string method, string path)
    {
        var found = PublicRoutes.Match(method, path);
        Assert.True(found is null, $"{method} {path} matched {found}");
    }

    [Fact]
    public void Match_AgreesWithRegexOfEveryTemplate_OnRandomPaths()
    {
        // An oracle written differently: each template as a regular expression, as routing reads it.
        var oracles = PublicRoutes.All.ToDictionary(r => r, r => new Regex(
            "^" + Regex.Replace(Regex.Escape(r.Template), @"\\\{[a-z_]+}", "[^/]+") + "/?$", RegexOptions.IgnoreCase | RegexOptions.CultureInvariant));
        string[] words = ["v1", "V1", "collections", "Collections", "points", "get", "delete", "search", "batch", "groups", "recommend",
            "scroll", "count", "tenants", "api-keys", "rotate", "suspend", "plans", "usage", "connect", "token", "x", "%2F", "", "{name}"];
        string[] methods = ["GET", "POST", "PUT", "PATCH", "DELETE"];
        var random = new Random(7);
        var matched = 0;
        for (var i = 0; i < 200_000; i++)
        {
            var count = random.Next(1, 8);
            var path = string.Concat(Enumerable.Range(0, count).Select(_ => "/" + words[random.Next(words.Length)]));
            if (random.Next(4) == 0)
            {
                path = "/v1/collections" + path;
            }

            var method = methods[random.Next(methods.Length)];
            var expected = PublicRoutes.All.Where(r => r.Method == method && oracles[r].IsMatch(path)).ToList();
            var found = PublicRoutes.Match(method, path);
            if (expected.Count == 0)
            {
                Assert.True(found is null, $"{method} {path} matched {found}");
                continue;
            }

            matched++;
            Assert.True(found is not null && expected.Contains(found), $"{method} {path}: {found}, expected one of {string.Join(", ", expected)}");
            // Two fits only where a literal segment beats a parameter; the literal one is chosen.
            Assert.True(expected.Count == 1 || !found.Template.EndsWith('}'), $"{method} {path}: {found} over {string.Join(", ", expected)}");
        }

        Assert.True(matched > 1_000, $"only {matched} random paths matched a route");
    }

    [Fact]
    public void Match_AllocatesNothing()
    {
        var bytes = Allocations.FewestBytes(() =>
        {
            for (var i = 0; i < 100; i++)
            {
                _ = PublicRoutes.Match("POST", "/v1/collections/docs/search/batch");
                _ = PublicRoutes.Match("GET", "/v1/collections/docs/points/a%2Fb");
                _ = PublicRoutes.Match("GET", "/v1/collections/docs/unknown");
                _ = PublicRoutes.PointsGet.Parameter("/v1/collections/docs/points/a%2Fb", "id");
            }
        });
        Assert.Equal(0, bytes);
    }

    [Fact]
    public void Parameter_IsTheSegmentStillEscaped()
    {
        Assert.Equal("a%2Fb", PublicRoutes.PointsGet.Parameter("/v1/collections/docs/points/a%2Fb", "id").ToString());
        Assert.Equal("docs", PublicRoutes.PointsGet.Parameter("/v1/collections/docs/points/a%2Fb", "name").ToString());
        Assert.True(PublicRoutes.PointsGet.Parameter("/v1/collections/docs/points/a%2Fb", "key_id").IsEmpty);
        Assert.True(PublicRoutes.PointsGet.Parameter("/v1/collections/docs/search", "name").IsEmpty);
    }

    [Fact]
    public void Table_HasUniqueNamesAndRoutes_AndDataUnitsFollowRoles()
    {
        Assert.Equal(PublicRoutes.All.Count, PublicRoutes.All.Select(r => r.Name).Distinct().Count());
        Assert.Equal(PublicRoutes.All.Count, PublicRoutes.All.Select(r => r.ToString()).Distinct().Count());
        Assert.All(PublicRoutes.Engine, r => Assert.Equal(RouteService.Engine, r.Service));
        Assert.All(PublicRoutes.ControlPlane, r => Assert.Equal(RouteService.ControlPlane, r.Service));
        // A data route read_only keys may call is billed as a read, and only those.
        Assert.All(PublicRoutes.Engine, r => Assert.True((r.Units == UnitKind.Read) == r.Admits(Roles.ReadOnly), r.ToString()));
        Assert.All(PublicRoutes.All, r => Assert.Equal(r.Template.Contains("{name}", StringComparison.Ordinal), r.CollectionScoped));
        Assert.All(PublicRoutes.All, r => Assert.True(r.Role is null || Roles.IsKnown(r.Role), r.ToString()));
    }

    [Theory]
    [InlineData(Roles.ReadOnly, Roles.ReadOnly, true)]
    [InlineData(Roles.ReadOnly, Roles.ReadWrite, true)]
    [InlineData(Roles.ReadOnly, Roles.PlatformAdmin, true)]
    [InlineData(Roles.ReadWrite, Roles.ReadOnly, false)]
    [InlineData(Roles.ReadWrite, Roles.Admin, true)]
    [InlineData(Roles.Admin, Roles.ReadWrite, false)]
    [InlineData(Roles.PlatformAdmin, Roles.Admin, false)]
    [InlineData(Roles.ReadOnly, null, false)]
    [InlineData(Roles.ReadOnly, "owner", false)]
    public void Admits_FollowsTheRoleOrder(string needed, string? held, bool admitted)
    {
        var route = PublicRoutes.All.First(r => r.Role == needed);
        Assert.Equal(admitted, route.Admits(held));
    }

    private static string Concrete(string template, string name, string id) =>
        Regex.Replace(template.Replace("{name}", name, StringComparison.Ordinal), @"\{[a-z_]+\}", id);

    private static string CollectionName(Random random)
    {
        const string Alphabet = "abcdefghijklmnopqrstuvwxyz0123456789_-";
        var length = random.Next(1, 20);
        return string.Create(length, random, (span, r) =>
        {
            for (var i = 0; i < span.Length; i++)
            {
                span[i] = Alphabet[r.Next(i == 0 ? 36 : Alphabet.Length)];
            }
        });
    }
}
