using System.Text;
using Piramid.Contracts.Problems;
using Piramid.ControlPlane.Tests.Support;
using Piramid.TestKit.Http;

namespace Piramid.ControlPlane.Tests.Admin;

/// <summary>
/// Each class of error the control plane answers has the one shape of every process (<see cref="ProblemAssert"/>):
/// the catalogue's type and title for its status, the called path, trace and request ids; and a 400 names the field
/// or parameter and what was expected.
/// </summary>
[Collection(PostgresCollection.Name)]
public sealed class ErrorShapeTests(PostgresFixture postgres)
{
    private static readonly (string Method, string Path, string? Body, string ContentType, ProblemKind Kind, string[] Detail)[] Cases =
    [
        ("POST", "/v1/tenants", """{"name":"ok","colour":"red"}""", "application/json", ProblemCatalog.InvalidRequest, ["'colour'", "not a field"]),
        ("GET", "/v1/tenants/t_x/usage?from=banana", null, "application/json", ProblemCatalog.InvalidRequest, ["'from'", "a date (yyyy-MM-dd)", "'banana'"]),
        ("GET", "/v1/tenants/t_x/audit?limit=many", null, "application/json", ProblemCatalog.InvalidRequest, ["'limit'", "an integer", "'many'"]),
        ("POST", "/v1/tenants", """{"name":5}""", "application/json", ProblemCatalog.InvalidRequest, ["'name'", "a string"]),
        ("POST", "/v1/tenants", """{"name":""", "application/json", ProblemCatalog.InvalidRequest, ["not valid JSON"]),
        ("POST", "/v1/tenants", """{"name":"x"}""", "text/plain", ProblemCatalog.UnsupportedMediaType, ["Content-Type"]),
        ("GET", "/v1/tenants/t_missing", null, "application/json", ProblemCatalog.NotFound, ["t_missing"]),
        ("GET", "/v1/no-such-route", null, "application/json", ProblemCatalog.NotFound, ["route"]),
        ("PUT", "/v1/tenants", """{"name":"x"}""", "application/json", ProblemCatalog.MethodNotAllowed, ["method"]),
        ("DELETE", "/v1/plans", null, "application/json", ProblemCatalog.MethodNotAllowed, ["method"]),
        ("POST", "/account/login", "client_id=x&client_secret=y", "application/x-www-form-urlencoded", ProblemCatalog.InvalidRequest, ["antiforgery"]),
    ];

    [Fact]
    public async Task EachClassOfError_HasTheCataloguesShape_AndNamesTheProblem()
    {
        await using var host = await ControlPlaneHost.StartAsync(postgres);
        using var admin = await host.ClientAsync(host.Operator);
        foreach (var (method, path, body, contentType, kind, expected) in Cases)
        {
            using var request = new HttpRequestMessage(new HttpMethod(method), path);
            request.Content = body is null ? null : new StringContent(body, Encoding.UTF8, contentType);
            using var response = await admin.SendAsync(request);
            var problem = await ProblemAssert.MatchesAsync(response, kind);
            var detail = (string)problem["detail"]!;
            foreach (var words in expected)
            {
                Assert.True(detail.Contains(words, StringComparison.Ordinal), $"{method} {path}: '{detail}' lacks \"{words}\"");
            }
        }
    }

    [Fact]
    public async Task Conflicts_ReusedIdempotencyKeys_AndRefusedCredentials_HaveTheCataloguesShape()
    {
        await using var host = await ControlPlaneHost.StartAsync(postgres);
        using var admin = await host.ClientAsync(host.Operator);
        using (var created = await SendAsync(admin, "/v1/tenants", """{"name":"shape"}""", "key-1"))
        {
            Assert.Equal(System.Net.HttpStatusCode.Created, created.StatusCode);
        }

        using (var again = await SendAsync(admin, "/v1/tenants", """{"name":"shape"}""", null))
        {
            Assert.Contains("'shape'", (string)(await ProblemAssert.MatchesAsync(again, ProblemCatalog.Conflict))["detail"]!, StringComparison.Ordinal);
        }

        using (var reused = await SendAsync(admin, "/v1/tenants", """{"name":"other"}""", "key-1"))
        {
            Assert.Contains("Idempotency-Key", (string)(await ProblemAssert.MatchesAsync(reused, ProblemCatalog.IdempotencyKeyReused))["detail"]!, StringComparison.Ordinal);
        }

        using var anonymous = await host.ClientAsync(null);
        using (var unauthorized = await anonymous.GetAsync(new Uri("/v1/tenants", UriKind.Relative)))
        {
            await ProblemAssert.MatchesAsync(unauthorized, ProblemCatalog.Unauthorized);
        }

        using var gateway = await host.ClientAsync(host.Gateway);
        using (var forbidden = await gateway.GetAsync(new Uri("/v1/tenants", UriKind.Relative)))
        {
            await ProblemAssert.MatchesAsync(forbidden, ProblemCatalog.Forbidden);
        }
    }

    [Fact]
    public async Task EveryAnswer_CarriesARequestId_SuccessesToo()
    {
        await using var host = await ControlPlaneHost.StartAsync(postgres);
        using var admin = await host.ClientAsync(host.Operator);
        foreach (var path in new[] { "/v1/tenants", "/v1/plans", "/health/live", "/.well-known/openid-configuration" })
        {
            using var response = await admin.GetAsync(new Uri(path, UriKind.Relative));
            Assert.True(response.IsSuccessStatusCode, path);
            Assert.True(response.Headers.TryGetValues(Contracts.HeaderNames.RequestId, out var ids) && !string.IsNullOrWhiteSpace(ids.Single()), path);
        }
    }

    [Fact]
    public async Task ForwardedRoutes_NameThePathTheClientCalled_OnlyOnTheGatewaysWord()
    {
        await using var host = await ControlPlaneHost.StartAsync(postgres);
        using var gateway = await host.ClientAsync(host.Gateway);
        using (var request = Vouched(HttpMethod.Get, "/v1/tenants/t_missing/api-keys"))
        {
            using var missing = await gateway.SendAsync(request);
            await ProblemAssert.MatchesAsync(missing, ProblemCatalog.NotFound, instance: "/v1/api-keys");
        }

        using (var request = Vouched(HttpMethod.Post, "/v1/tenants/t_missing/api-keys"))
        {
            request.Content = new StringContent("""{"name":"k","role":"admin","colour":1}""", Encoding.UTF8, "application/json");
            using var invalid = await gateway.SendAsync(request);
            var detail = (string)(await ProblemAssert.MatchesAsync(invalid, ProblemCatalog.InvalidRequest, instance: "/v1/api-keys"))["detail"]!;
            Assert.Contains("'colour'", detail, StringComparison.Ordinal);
        }

        // The gateway's token without a key to vouch for acts for no tenant.
        using (var request = new HttpRequestMessage(HttpMethod.Get, "/v1/tenants/t_missing/api-keys"))
        {
            using var refused = await gateway.SendAsync(request);
            await ProblemAssert.MatchesAsync(refused, ProblemCatalog.Forbidden);
        }

        // Anyone else's word is ignored: an operator's request keeps its own path.
        using var admin = await host.ClientAsync(host.Operator);
        using (var request = new HttpRequestMessage(HttpMethod.Get, "/v1/tenants/t_missing"))
        {
            request.Headers.Add(Contracts.HeaderNames.ClientPath, "/v1/elsewhere");
            using var missing = await admin.SendAsync(request);
            await ProblemAssert.MatchesAsync(missing, ProblemCatalog.NotFound);
        }
    }

    // As the gateway forwards a request of an admin key of t_missing to /v1/api-keys.
    private static HttpRequestMessage Vouched(HttpMethod method, string path)
    {
        var request = new HttpRequestMessage(method, path);
        request.Headers.Add(Contracts.HeaderNames.ClientPath, "/v1/api-keys");
        request.Headers.Add(Contracts.HeaderNames.KeyTenant, "t_missing");
        request.Headers.Add(Contracts.HeaderNames.KeyRole, "admin");
        return request;
    }

    private static async Task<HttpResponseMessage> SendAsync(HttpClient http, string path, string body, string? idempotencyKey)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, path) { Content = new StringContent(body, Encoding.UTF8, "application/json") };
        if (idempotencyKey is not null)
        {
            request.Headers.Add("Idempotency-Key", idempotencyKey);
        }

        return await http.SendAsync(request);
    }
}
