using System.Net.Http.Headers;
using System.Text;
using System.Text.Json.Nodes;
using Microsoft.Extensions.DependencyInjection;
using Piramid.Contracts.Identity;
using Piramid.Contracts.Problems;
using Piramid.Gateway.Authentication;
using Piramid.Gateway.Tests.Support;
using Piramid.TestKit.Http;
using Piramid.TestKit.Platform;
using static Piramid.Gateway.Tests.Support.Probe;

namespace Piramid.Gateway.Tests;

/// <summary>
/// A path under <c>/v1/collections</c> that the route table does not know is 404, a known one with another method
/// 405 with <c>Allow</c>, at the door: whatever the credential, before any key lookup or engine. And every answer
/// the gateway makes itself is a problem+json body, whatever the client's <c>Accept</c>.
/// </summary>
[Collection(GatewayCollection.Name)]
public sealed class DataRouteDoorTests(PostgresFixture postgres)
{
    // Method, path, and the methods the table serves there (null: none, so 404).
    private static readonly (string Method, string Path, string? Allow)[] Unknown =
    [
        ("POST", "/v1/collections/docs/unknown", null),
        ("GET", "/v1/collections/docs/points/a/b", null),
        ("POST", "/v1/collections/docs/search/anything", null),
        ("GET", "/v1/collections/docs/points/", "POST"), // as routing, the table takes a trailing slash as none
        ("GET", "/v1/collections/docs/search/batch/x", null),
        ("DELETE", "/v1/collections/docs/count", "POST"),
        ("PUT", "/v1/collections/docs/search", "POST"),
        ("PATCH", "/v1/collections/docs/points", "POST"),
        ("GET", "/v1/collections/docs/scroll", "POST"),
        ("POST", "/v1/collections/docs", "GET, PUT, PATCH, DELETE"),
        ("PUT", "/v1/collections/docs/points/p1", "GET, PATCH"),
        ("DELETE", "/v1/collections/docs/points/get", "GET, PATCH, POST"),
    ];

    [Fact]
    public async Task AnUnknownDataPath_Is404_AndAKnownOneWithAnotherMethod405WithAllow_ForEveryCredential_BeforeAnyLookup()
    {
        await using var platform = await PlatformHost.StartAsync(postgres);
        var (tenantId, admin) = await platform.TenantWithKeyAsync("door");
        var reader = await platform.KeyAsync(tenantId, Roles.ReadOnly);
        var scoped = await platform.KeyAsync(tenantId, Roles.Admin, ["other"]);
        using (var warm = platform.Client(admin))
        {
            await WaitRoutedAsync(warm);
        }

        var token = await platform.ControlPlane.TokenAsync(platform.ControlPlane.Operator);
        var cache = platform.Gateway.Services.GetRequiredService<KeyCache>();
        var lookups = cache.Lookups;
        string?[] credentials = [admin, reader, scoped, token, ApiKeyFormat.Generate().Key, "pk_malformed", null];
        foreach (var credential in credentials)
        {
            using var http = platform.Client(credential);
            foreach (var (method, path, allow) in Unknown)
            {
                using var response = await http.SendAsync(new HttpRequestMessage(new HttpMethod(method), new Uri(path, UriKind.Relative))
                {
                    Content = method is "GET" or "DELETE" ? null : new StringContent("{}", Encoding.UTF8, "application/json"),
                });
                var why = $"{method} {path} with {Describe(credential, admin, reader, scoped, token)}";
                var problem = await ProblemAssert.MatchesAsync(response, allow is null ? ProblemCatalog.NotFound : ProblemCatalog.MethodNotAllowed);
                // The gateway's own words, not an engine's: nothing was forwarded.
                Assert.True(problem["detail"]!.GetValue<string>().Contains("data API", StringComparison.Ordinal), why);
                if (allow is not null)
                {
                    Assert.Equal(allow, string.Join(", ", response.Content.Headers.Allow));
                }
            }
        }

        // No key was looked up for any of them: not even the unknown key reached the control plane.
        Assert.Equal(lookups, cache.Lookups);
    }

    [Theory]
    [InlineData(null)]
    [InlineData("text/html")]
    [InlineData("*/*")]
    [InlineData("application/xml")]
    public async Task EveryGatewayMadeError_IsAProblemBody_WhateverTheAcceptHeader(string? accept)
    {
        await using var platform = await PlatformHost.StartAsync(postgres);
        var (_, key) = await platform.TenantWithKeyAsync("accept");
        using var http = Accepting(platform.Client(key), accept);
        using var anonymous = Accepting(platform.Client(null), accept);
        await WaitRoutedAsync(http);

        (HttpClient Client, string Method, string Path, ProblemKind Kind)[] cases =
        [
            (http, "POST", "/v1/collections", ProblemCatalog.MethodNotAllowed), // routing's 405
            (http, "DELETE", "/v1/api-keys/k1/rotate", ProblemCatalog.MethodNotAllowed),
            (http, "GET", "/nowhere", ProblemCatalog.NotFound), // routing's 404
            (http, "GET", "/v1/collections/docs/unknown", ProblemCatalog.NotFound),
            (http, "PUT", "/v1/collections/docs/search", ProblemCatalog.MethodNotAllowed),
            (http, "BREW", "/v1/collections", ProblemCatalog.NotImplemented),
            (anonymous, "GET", "/v1/collections", ProblemCatalog.Unauthorized),
            (http, "GET", "/v1/collections/missing", ProblemCatalog.NotFound), // the engine's, for contrast
        ];
        foreach (var (client, method, path, kind) in cases)
        {
            using var response = await client.SendAsync(new HttpRequestMessage(new HttpMethod(method), new Uri(path, UriKind.Relative)));
            await ProblemAssert.MatchesAsync(response, kind);
        }
    }

    [Fact]
    public async Task RandomPathsAndMethods_NeverGetA5xxButTheMadeUpMethods501_AndEveryRefusalIsAProblemBody()
    {
        await using var platform = await PlatformHost.StartAsync(postgres, new Dictionary<string, string?>
        {
            // The budget is not what this test is about; the random keys below would otherwise spend it.
            ["Gateway:UnauthenticatedBurst"] = "10000",
        });
        var (_, key) = await platform.TenantWithKeyAsync("fuzz");
        using var admin = platform.Client(key);
        using var invalid = platform.Client(ApiKeyFormat.Generate().Key);
        using var anonymous = platform.Client(null);
        await WaitRoutedAsync(admin);
        HttpClient[] clients = [admin, admin, admin, invalid, anonymous];
        string[] segments =
        [
            "v1", "collections", "docs", "points", "search", "batch", "groups", "get", "delete", "count", "scroll",
            "recommend", "p1", "api-keys", "tenants", "", ".", "..", "%2F", "%2e%2e", "a%20b", "%25", "é", "{name}",
            "COLLECTIONS", "x;y", new string('s', 300),
        ];
        string[] methods = ["GET", "POST", "PUT", "PATCH", "DELETE", "HEAD", "OPTIONS", "BREW"];
        var random = new Random(20261206);
        for (var i = 0; i < 400; i++)
        {
            // Mostly under /v1/collections, where the route table decides; sometimes anywhere.
            var path = new StringBuilder(random.Next(4) == 0 ? string.Empty : "/v1/collections");
            for (var n = random.Next(0, 5); n > 0; n--)
            {
                var segment = segments[random.Next(segments.Length)];
                // "//" at the start would name a host, not a path.
                segment = path.Length == 0 && segment.Length == 0 ? "v1" : segment;
                path.Append('/').Append(segment);
            }

            var method = methods[random.Next(methods.Length)];
            var client = clients[random.Next(clients.Length)];
            using var request = new HttpRequestMessage(new HttpMethod(method), new Uri(path.Length == 0 ? "/" : path.ToString(), UriKind.Relative));
            if (method is "POST" or "PUT" or "PATCH")
            {
                request.Content = new StringContent("{}", Encoding.UTF8, "application/json");
            }

            using var response = await client.SendAsync(request);
            var status = (int)response.StatusCode;
            var body = await response.Content.ReadAsStringAsync();
            var why = $"{method} {path}: {status} {body}";
            // A made-up method is 501 at the door (DoorTests); nothing else is a 5xx.
            Assert.True(status < 500 || (status == 501 && method == "BREW"), why);
            if (status >= 400 && method != "HEAD")
            {
                Assert.True(response.Content.Headers.ContentType?.MediaType == "application/problem+json", why);
                var problem = JsonNode.Parse(body)!;
                Assert.Equal(status, problem["status"]!.GetValue<int>());
                Assert.Equal(ProblemCatalog.FindByType(problem["type"]!.GetValue<string>())?.Status, status);
            }
        }
    }

    private static string Describe(string? credential, string admin, string reader, string scoped, string token) =>
        credential is null ? "no credential"
        : credential == admin ? "an admin key"
        : credential == reader ? "a read-only key"
        : credential == scoped ? "a key scoped to another collection"
        : credential == token ? "an operator token"
        : "an invalid key";

    private static HttpClient Accepting(HttpClient client, string? accept)
    {
        if (accept is not null)
        {
            client.DefaultRequestHeaders.Accept.Clear();
            client.DefaultRequestHeaders.Accept.Add(new MediaTypeWithQualityHeaderValue(accept));
        }

        return client;
    }
}
