using System.Net;
using System.Net.Http.Json;
using System.Text;
using Piramid.Contracts.Problems;
using Piramid.Gateway.Tests.Support;
using Piramid.TestKit.Platform;
using static Piramid.Gateway.Tests.Support.Probe;

namespace Piramid.Gateway.Tests;

/// <summary>What the gateway refuses itself, before anything is forwarded: methods and body types.</summary>
[Collection(GatewayCollection.Name)]
public sealed class DoorTests(PostgresFixture postgres)
{
    private static readonly string[] Paths =
    [
        "/v1/collections", "/v1/collections/docs", "/v1/collections/docs/search", "/v1/collections/docs/points/a1",
        "/v1/api-keys", "/v1/tenants", "/v1/tenants/t1/api-keys", "/v1/plans", "/connect/token", "/account/login",
        "/.well-known/openid-configuration", "/nowhere",
    ];

    [Fact]
    public async Task MethodsNoRouteServes_Get405WithAllowOr501_FromTheGatewayItself_ForEveryPath()
    {
        await using var platform = await PlatformHost.StartAsync(postgres);
        var (_, key) = await platform.TenantWithKeyAsync("methods");
        using var http = platform.Client(key);
        await WaitRoutedAsync(http);
        var token = await platform.ControlPlane.TokenAsync(platform.ControlPlane.Operator);

        // Methods no route serves anywhere, and methods a route exists for but not on that path.
        var notServed = new List<(string Method, string Path)>();
        foreach (var path in Paths)
        {
            notServed.AddRange(new[] { "TRACE", "PROPFIND", "FOO", "TRACK", "MKCOL" }.Select(m => (m, path)));
        }

        notServed.AddRange([
            ("PUT", "/v1/collections"), ("POST", "/v1/collections"), ("DELETE", "/v1/collections"), ("HEAD", "/v1/collections/docs"),
            ("DELETE", "/.well-known/openid-configuration"), ("POST", "/.well-known/openid-configuration"),
            ("PUT", "/connect/token"), ("PATCH", "/account/login"), ("OPTIONS", "/v1/collections/docs/search"),
        ]);
        foreach (var credential in new[] { key, token, null })
        {
            foreach (var (method, path) in notServed)
            {
                var auth = credential is null ? string.Empty : $"Authorization: Bearer {credential}\r\n";
                var answer = await RawHttp.SendAsync(platform.GatewayAddress,
                    $"{method} {path} HTTP/1.1\r\nHost: {platform.GatewayAddress.Authority}\r\n{auth}Content-Length: 0\r\nConnection: close\r\n\r\n");
                var why = $"{method} {path} ({(credential is null ? "anonymous" : "credential")}): {answer}";
                Assert.True(answer.Status is 405 or 501, why);
                Assert.True(answer.Headers.ContainsKey("allow"), why);
                Assert.DoesNotContain(method, answer.Headers["allow"].Split(',', StringSplitOptions.TrimEntries));
                if (method != "HEAD")
                {
                    Assert.True(answer.ProblemType is not null, why);
                }
            }
        }

        // CONNECT in the form a tunnelling client sends it.
        var connect = await RawHttp.SendAsync(platform.GatewayAddress,
            $"CONNECT {platform.GatewayAddress.Authority} HTTP/1.1\r\nHost: {platform.GatewayAddress.Authority}\r\nAuthorization: Bearer {key}\r\nConnection: close\r\n\r\n");
        Assert.True(connect.Status is 400 or 405 or 501, connect.ToString());
        Assert.NotNull(connect.ProblemType);

        // What is served still is.
        Assert.Equal(HttpStatusCode.OK, (await http.GetAsync(new Uri("/v1/collections", UriKind.Relative))).StatusCode);
    }

    [Fact]
    public async Task BodiesWithoutAJsonContentType_Get415_OnEveryJsonRoute()
    {
        await using var platform = await PlatformHost.StartAsync(postgres);
        var (_, key) = await platform.TenantWithKeyAsync("media");
        using var http = platform.Client(key);
        await WaitRoutedAsync(http);
        (await http.PutAsJsonAsync("/v1/collections/docs", new { dimension = 2 })).EnsureSuccessStatusCode();
        var token = await platform.ControlPlane.TokenAsync(platform.ControlPlane.Operator);
        const string points = "{\"points\":[{\"id\":\"a\",\"vector\":[1,2]}]}";

        var cases = new (string Method, string Path, string? Credential)[]
        {
            ("POST", "/v1/collections/docs/points", key), ("POST", "/v1/collections/docs/search", key), ("PUT", "/v1/collections/other", key),
            ("PATCH", "/v1/collections/docs/points/a", key), ("POST", "/v1/api-keys", key), ("POST", "/v1/tenants", token), ("PUT", "/v1/plans/free", token),
        };
        foreach (var (method, path, credential) in cases)
        {
            foreach (var type in new[] { null, "text/plain", "application/x-www-form-urlencoded", "application/jsonx", "multipart/form-data; boundary=x" })
            {
                foreach (var chunked in new[] { false, true })
                {
                    var framing = chunked ? $"Transfer-Encoding: chunked\r\n\r\n{points.Length:x}\r\n{points}\r\n0\r\n\r\n" : $"Content-Length: {points.Length}\r\n\r\n{points}";
                    var answer = await RawHttp.SendAsync(platform.GatewayAddress,
                        $"{method} {path} HTTP/1.1\r\nHost: {platform.GatewayAddress.Authority}\r\nAuthorization: Bearer {credential}\r\nConnection: close\r\n" +
                        (type is null ? string.Empty : $"Content-Type: {type}\r\n") + framing);
                    var why = $"{method} {path} as '{type}' ({(chunked ? "chunked" : "length")}): {answer}";
                    Assert.True(answer.Status == 415, why);
                    Assert.True(answer.ProblemType == ProblemTypes.UnsupportedMediaType, why);
                }
            }
        }

        // JSON, with parameters or as a +json type, passes.
        foreach (var type in new[] { "application/json", "application/json; charset=utf-8", "application/vnd.piramid+json" })
        {
            using var content = new StringContent(points, Encoding.UTF8);
            content.Headers.ContentType = System.Net.Http.Headers.MediaTypeHeaderValue.Parse(type);
            using var upsert = await http.PostAsync(new Uri("/v1/collections/docs/points", UriKind.Relative), content);
            Assert.NotEqual(HttpStatusCode.UnsupportedMediaType, upsert.StatusCode);
        }

        Assert.Equal(1, await CountAsync(http, "docs"));
    }
}
