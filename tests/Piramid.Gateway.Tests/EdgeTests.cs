using System.Diagnostics;
using System.Net;
using System.Net.Http.Json;
using System.Security.Claims;
using System.Text;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Http;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Piramid.Contracts.Problems;
using Piramid.Gateway.Authentication;
using Piramid.Gateway.Tests.Support;
using Piramid.TestKit.Platform;
using Yarp.ReverseProxy.Configuration;
using Yarp.ReverseProxy.Transforms.Builder;
using static Piramid.Gateway.Tests.Support.Probe;

namespace Piramid.Gateway.Tests;

/// <summary>What the edge does before and after forwarding: size limits, client mistakes, outages, headers.</summary>
[Collection(GatewayCollection.Name)]
public sealed class EdgeTests(PostgresFixture postgres)
{
    [Fact]
    public async Task OversizedBodiesAndHeaders_Get413And431ProblemBodies()
    {
        await using var platform = await PlatformHost.StartAsync(postgres);
        var (_, key) = await platform.TenantWithKeyAsync("sizes");
        using var http = platform.Client(key);
        await WaitRoutedAsync(http);
        (await http.PutAsJsonAsync("/v1/collections/big", new { dimension = 2 })).EnsureSuccessStatusCode();
        var tooLarge = new byte[(16 * 1024 * 1024) + 1];

        using (var declared = new ByteArrayContent(tooLarge))
        {
            declared.Headers.ContentType = new("application/json");
            await AssertProblemAsync(await http.SendAsync(Expecting(declared)), 413, ProblemTypes.PayloadTooLarge);
        }

        // No Content-Length: the limit trips while the body is being forwarded.
        using (var chunked = new StreamContent(new NoLengthStream(tooLarge)))
        {
            chunked.Headers.ContentType = new("application/json");
            await AssertProblemAsync(await http.SendAsync(Expecting(chunked)), 413, ProblemTypes.PayloadTooLarge);
        }

        using var headers = new HttpRequestMessage(HttpMethod.Get, new Uri("/v1/collections", UriKind.Relative));
        headers.Headers.Add("X-Padding", new string('a', 40 * 1024));
        await AssertProblemAsync(await http.SendAsync(headers), 431, ProblemTypes.HeadersTooLarge);

        // Nothing was written by the refused requests.
        Assert.Equal(0, await CountAsync(http, "big"));
    }

    [Fact]
    public async Task BodiesArriveWhole_BufferedOrStreamed_AndABodyCutShortStoresNothing()
    {
        await using var platform = await PlatformHost.StartAsync(postgres);
        var (_, key) = await platform.TenantWithKeyAsync("bodies");
        using var http = platform.Client(key);
        await WaitRoutedAsync(http);
        (await http.PutAsJsonAsync("/v1/collections/docs", new { dimension = 8 })).EnsureSuccessStatusCode();

        // One batch under the buffering threshold (sent with its headers), one well over it (streamed).
        foreach (var (prefix, count) in new[] { ("small", 20), ("large", 1000) })
        {
            var points = Enumerable.Range(0, count).Select(i => new { id = $"{prefix}-{i}", vector = Enumerable.Repeat(i + 1f, 8).ToArray(), metadata = new { note = new string('n', 200) } });
            using var body = JsonContent.Create(new { points });
            await body.LoadIntoBufferAsync();
            Assert.True(prefix == "small" ? body.Headers.ContentLength < Forwarding.BufferedForwarding.MaxBufferedBytes : body.Headers.ContentLength > 2 * Forwarding.BufferedForwarding.MaxBufferedBytes);
            using var response = await http.PostAsync(new Uri("/v1/collections/docs/points", UriKind.Relative), body);
            Assert.True(response.IsSuccessStatusCode, await response.Content.ReadAsStringAsync());
        }

        Assert.Equal(1020, await CountAsync(http, "docs"));
        var last = await http.GetFromJsonAsync<JsonObject>("/v1/collections/docs/points/large-999?include_metadata=true");
        Assert.Equal(new string('n', 200), last!["metadata"]!["note"]!.GetValue<string>());

        // A client that promises more bytes than it sends and then closes its side has abandoned the request:
        // the gateway may answer 400 or just close, but it never stores a partial batch or answers 5xx.
        using var socket = new System.Net.Sockets.TcpClient();
        await socket.ConnectAsync(platform.GatewayAddress.Host, platform.GatewayAddress.Port);
        var stream = socket.GetStream();
        var partial = "{\"points\":[{\"id\":\"cut\",\"vector\":[1,1,1,1,1,1,1,1]}";
        await stream.WriteAsync(Encoding.ASCII.GetBytes(
            $"POST /v1/collections/docs/points HTTP/1.1\r\nHost: {platform.GatewayAddress.Authority}\r\nAuthorization: Bearer {key}\r\n" +
            $"Content-Type: application/json\r\nContent-Length: {partial.Length + 100}\r\n\r\n{partial}"));
        socket.Client.Shutdown(System.Net.Sockets.SocketShutdown.Send);
        string? statusLine;
        try
        {
            statusLine = await new StreamReader(stream, Encoding.ASCII).ReadLineAsync();
        }
        catch (IOException)
        {
            statusLine = null; // reset: no answer
        }

        Assert.True(statusLine is null || statusLine.StartsWith("HTTP/1.1 4", StringComparison.Ordinal), statusLine);
        Assert.Equal(1020, await CountAsync(http, "docs"));
    }

    [Fact]
    public async Task TraceContextAndRequestId_ReachTheEngine()
    {
        await using var platform = await PlatformHost.StartAsync(postgres);
        var (_, key) = await platform.TenantWithKeyAsync("tracing");
        using var http = platform.Client(key);
        await WaitRoutedAsync(http);
        (await http.PutAsJsonAsync("/v1/collections/docs", new { dimension = 2 })).EnsureSuccessStatusCode();

        // The engine's own problem body names the trace and request it saw: the caller's trace id, and the
        // gateway's request id (a client-sent one is not trusted), which the client also gets as a header.
        const string traceId = "0af7651916cd43dd8448eb211c80319c";
        using var request = Json(HttpMethod.Post, "/v1/collections/docs/search", "{\"vector\":[1,2,3],\"top_k\":1}");
        request.Headers.Add("traceparent", $"00-{traceId}-b7ad6b7169203331-01");
        request.Headers.Add(Contracts.HeaderNames.RequestId, "chosen-by-client");
        using var response = await http.SendAsync(request);
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        var problem = JsonNode.Parse(await response.Content.ReadAsStringAsync())!;
        Assert.Contains("dimension", problem["detail"]!.GetValue<string>(), StringComparison.Ordinal); // the engine's check
        Assert.StartsWith($"00-{traceId}-", problem["trace_id"]!.GetValue<string>(), StringComparison.Ordinal);
        var requestId = problem["request_id"]!.GetValue<string>();
        Assert.NotEqual("chosen-by-client", requestId);
        Assert.Equal(requestId, Header(response, Contracts.HeaderNames.RequestId));
    }

    [Fact]
    public async Task EngineRequests_CarryNoForwardedHeadersOrCredentials_ControlPlaneRequestsGetTheClientAddress()
    {
        await using var platform = await PlatformHost.StartAsync(postgres);
        var (tenant, key) = await platform.TenantWithKeyAsync("forwarded");
        using var http = platform.Client(key);
        await WaitRoutedAsync(http);

        // The request transforms YARP runs for each route, applied to a request whose client tried to spoof
        // its address; the engine route must drop every such header, the control-plane route must overwrite it.
        var services = platform.Gateway.Services;
        var config = services.GetRequiredService<IProxyConfigProvider>().GetConfig();
        var builder = services.GetRequiredService<ITransformBuilder>();
        async Task<HttpRequestMessage> TransformAsync(string routeId, string path)
        {
            var route = config.Routes.Single(r => r.RouteId == routeId);
            var cluster = config.Clusters.Single(c => c.ClusterId == route.ClusterId);
            var context = new DefaultHttpContext { RequestServices = services };
            context.Request.Method = "GET";
            context.Request.Scheme = "http";
            context.Request.Host = new HostString("api.example.test");
            context.Request.Path = path;
            context.Connection.RemoteIpAddress = IPAddress.Parse("192.0.2.7");
            context.Request.Headers.Authorization = "Bearer " + key;
            context.Request.Headers["X-Forwarded-For"] = "203.0.113.9";
            context.Request.Headers["X-Forwarded-Host"] = "spoofed.example.test";
            context.Request.Headers["Forwarded"] = "for=203.0.113.9";
            context.User = new ClaimsPrincipal(new ClaimsIdentity(
                [new Claim(GatewayClaims.Tenant, tenant), new Claim(GatewayClaims.Principal, "key_test"), new Claim(GatewayClaims.Role, "admin")], "test"));
            var proxyRequest = new HttpRequestMessage();
            var destination = cluster.Destinations!.Values.First().Address;
            await builder.Build(route, cluster).TransformRequestAsync(context, proxyRequest, destination, CancellationToken.None);
            return proxyRequest;
        }

        using var toEngine = await TransformAsync("collections-all", "/v1/collections/docs");
        Assert.DoesNotContain(toEngine.Headers, h => h.Key.StartsWith("X-Forwarded-", StringComparison.OrdinalIgnoreCase) || h.Key.Equals("Forwarded", StringComparison.OrdinalIgnoreCase));
        Assert.False(toEngine.Headers.Contains("Authorization"));
        Assert.True(toEngine.Headers.Contains(Contracts.HeaderNames.Identity));

        using var toControlPlane = await TransformAsync("well-known", "/.well-known/openid-configuration");
        Assert.Equal("192.0.2.7", Assert.Single(toControlPlane.Headers.GetValues("X-Forwarded-For")));
        Assert.Equal("api.example.test", Assert.Single(toControlPlane.Headers.GetValues("X-Forwarded-Host")));
    }

    [Fact]
    public async Task ClientMistakes_AreNever5xx_AndAlwaysProblemJson()
    {
        await using var platform = await PlatformHost.StartAsync(postgres);
        var (_, key) = await platform.TenantWithKeyAsync("mistakes");
        using var http = platform.Client(key);
        await WaitRoutedAsync(http);
        (await http.PutAsJsonAsync("/v1/collections/docs", new { dimension = 2 })).EnsureSuccessStatusCode();

        var requests = new List<(string Why, Func<HttpRequestMessage> Make, HttpClient Client)>
        {
            ("malformed JSON", () => Json(HttpMethod.Post, "/v1/collections/docs/points", "{\"points\": [ {\"id\": "), http),
            ("JSON array body", () => Json(HttpMethod.Post, "/v1/collections/docs/search", "[1,2,3]"), http),
            ("invalid UTF-8", () => Raw(HttpMethod.Post, "/v1/collections/docs/search", [0x7B, 0xC3, 0x28, 0x7D], "application/json"), http),
            ("wrong content type", () => Raw(HttpMethod.Post, "/v1/collections/docs/search", Encoding.UTF8.GetBytes("vector=1,2"), "application/x-www-form-urlencoded"), http),
            ("huge id", () => Json(HttpMethod.Get, "/v1/collections/docs/points/" + new string('x', 5000), null), http),
            ("bad collection name", () => Json(HttpMethod.Put, "/v1/collections/UPPER..", "{\"dimension\":2}"), http),
            ("unknown route", () => Json(HttpMethod.Get, "/v2/anything", null), http),
            ("unknown engine route", () => Json(HttpMethod.Post, "/v1/collections/docs/explode", "{}"), http),
            ("wrong method", () => Json(HttpMethod.Delete, "/v1/collections/docs/search", null), http),
            ("top_k absurd", () => Json(HttpMethod.Post, "/v1/collections/docs/search", "{\"vector\":[1,2],\"top_k\":99999999999}"), http),
            ("NaN in vector", () => Json(HttpMethod.Post, "/v1/collections/docs/points", "{\"points\":[{\"id\":\"a\",\"vector\":[NaN,1]}]}"), http),
        };
        foreach (var shape in new[] { "Bearer", "Bearer ", "Basic dXNlcjpwYXNz", "Bearer pk_", "Bearer pk_zz_zz", "Bearer " + new string('a', 3000), "pk_0123456789abcdef_x" })
        {
            var anonymous = platform.Client(null);
            anonymous.DefaultRequestHeaders.TryAddWithoutValidation("Authorization", shape);
            requests.Add(($"Authorization '{shape[..Math.Min(shape.Length, 20)]}'", () => Json(HttpMethod.Get, "/v1/collections", null), anonymous));
        }

        foreach (var (why, make, client) in requests)
        {
            using var request = make();
            using var response = await client.SendAsync(request);
            var status = (int)response.StatusCode;
            Assert.True(status is >= 400 and < 500, $"{why}: {status} {await response.Content.ReadAsStringAsync()}");
            Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        }

        Assert.Equal(0, await CountAsync(http, "docs"));
    }

    [Fact]
    public async Task DownEngineOrControlPlane_Is503WithRetryAfter_AndNamesNothingInternal()
    {
        await using var platform = await PlatformHost.StartAsync(postgres);
        var (tenantId, key) = await platform.TenantWithKeyAsync("outage");
        using var http = platform.Client(key);
        await WaitRoutedAsync(http);

        using (var engine = Process.GetProcessById(await platform.EngineProcessIdAsync(tenantId)))
        {
            engine.Kill();
            await engine.WaitForExitAsync();
        }

        var seen503 = 0;
        var deadline = DateTime.UtcNow.AddSeconds(20);
        while (DateTime.UtcNow < deadline)
        {
            using var response = await http.GetAsync(new Uri("/v1/collections", UriKind.Relative));
            if (response.StatusCode == HttpStatusCode.OK)
            {
                break;
            }

            var body = await response.Content.ReadAsStringAsync();
            Assert.Equal(HttpStatusCode.ServiceUnavailable, response.StatusCode);
            Assert.NotNull(response.Headers.RetryAfter);
            Assert.Equal(ProblemTypes.EngineUnavailable, JsonNode.Parse(body)!["type"]!.GetValue<string>());
            AssertNothingInternal(body, platform);
            seen503++;
            await Task.Delay(100); // stay under the plan's rate limit
        }

        Assert.True(seen503 > 0, "the killed engine was never observed down");
        await WaitRoutedAsync(http);

        // The control plane: tokens are validated at the edge from cached keys, the forward then fails.
        var token = await platform.ControlPlane.TokenAsync(platform.ControlPlane.Operator);
        using var admin = platform.Client(token);
        Assert.Equal(HttpStatusCode.OK, (await admin.GetAsync(new Uri("/v1/tenants", UriKind.Relative))).StatusCode);
        await platform.ControlPlane.App.StopAsync();
        using var down = await admin.GetAsync(new Uri("/v1/tenants", UriKind.Relative));
        var downBody = await down.Content.ReadAsStringAsync();
        Assert.Equal(HttpStatusCode.ServiceUnavailable, down.StatusCode);
        Assert.NotNull(down.Headers.RetryAfter);
        Assert.Equal(ProblemTypes.ServiceUnavailable, JsonNode.Parse(downBody)!["type"]!.GetValue<string>());
        AssertNothingInternal(downBody, platform);
    }

    [Fact]
    public async Task ControlPlaneStopped_CachedKeysServeForTheOutageGrace_Then503_Never500()
    {
        // Real time plus what the test adds: the engines check the age of the gateway's signatures in real time.
        var clock = new ShiftedClock();
        await using var platform = await PlatformHost.StartAsync(
            postgres,
            new Dictionary<string, string?> { ["Gateway:KeyCacheLifetime"] = "00:00:05", ["Gateway:ControlPlaneOutageGrace"] = "00:02:00" },
            services => services.AddSingleton<TimeProvider>(clock));
        var (_, key) = await platform.TenantWithKeyAsync("grace");
        using var http = platform.Client(key);
        await WaitRoutedAsync(http);

        // Every change so far (the key's creation, the engine's start) has reached the gateway and evicted what it
        // evicts; then the key's answer is in the cache once a request is served without asking the control plane.
        long lastChange;
        await using (var scope = platform.ControlPlane.App.Services.CreateAsyncScope())
        {
            lastChange = await scope.ServiceProvider.GetRequiredService<Piramid.ControlPlane.Data.ControlPlaneDbContext>().ChangeEvents.MaxAsync(c => c.Id);
        }

        var watcher = platform.Gateway.Services.GetRequiredService<Routing.ChangeFeedWatcher>();
        for (var deadline = DateTime.UtcNow.AddSeconds(30); watcher.Position < lastChange; await Task.Delay(20))
        {
            Assert.True(DateTime.UtcNow < deadline, $"the change feed never reached {lastChange}: {watcher.Position}");
        }

        var cache = platform.Gateway.Services.GetRequiredService<KeyCache>();
        for (var lookups = -1L; lookups != cache.Lookups;)
        {
            lookups = cache.Lookups;
            (await http.GetAsync(new Uri("/v1/collections", UriKind.Relative))).EnsureSuccessStatusCode();
        }

        await platform.ControlPlane.App.StopAsync();

        // The cached answer is stale (past the 5 s lifetime) and cannot be refreshed: it serves within the grace.
        clock.Advance(TimeSpan.FromSeconds(6));
        using (var served = await http.GetAsync(new Uri("/v1/collections", UriKind.Relative)))
        {
            Assert.True(served.StatusCode == HttpStatusCode.OK, $"{(int)served.StatusCode} {await served.Content.ReadAsStringAsync()}\n{string.Join('\n', PlatformHost.Logs.Text.Split('\n').Where(l => l.Contains("Warning", StringComparison.Ordinal)).TakeLast(10))}");
        }

        // Past the grace: 503 with Retry-After and a problem body; the key is not called invalid.
        clock.Advance(TimeSpan.FromMinutes(2));
        using var refused = await http.GetAsync(new Uri("/v1/collections", UriKind.Relative));
        var body = await refused.Content.ReadAsStringAsync();
        Assert.True(refused.StatusCode == HttpStatusCode.ServiceUnavailable, $"{(int)refused.StatusCode} {body}");
        Assert.NotNull(refused.Headers.RetryAfter);
        Assert.Equal("application/problem+json", refused.Content.Headers.ContentType?.MediaType);
        Assert.Equal(ProblemTypes.ServiceUnavailable, JsonNode.Parse(body)!["type"]!.GetValue<string>());
        AssertNothingInternal(body, platform);
    }

    [Fact]
    public async Task EveryResponse_CarriesSecurityHeaders_AndNoServerHeader_AndEngineAnswersKeepTheirLength()
    {
        await using var platform = await PlatformHost.StartAsync(postgres);
        var (_, key) = await platform.TenantWithKeyAsync("headers");
        using var http = platform.Client(key);
        await WaitRoutedAsync(http);
        using var anonymous = platform.Client(null);

        // A length, not chunks: the gateway forwards the answer in one write (docs/design/gateway.md, overhead).
        using (var listed = await http.GetAsync(new Uri("/v1/collections", UriKind.Relative), HttpCompletionOption.ResponseHeadersRead))
        {
            Assert.Equal(HttpStatusCode.OK, listed.StatusCode);
            Assert.NotEqual(true, listed.Headers.TransferEncodingChunked);
            var length = listed.Content.Headers.ContentLength;
            Assert.Equal((await listed.Content.ReadAsByteArrayAsync()).Length, length);
        }

        foreach (var response in new[]
        {
            await http.GetAsync(new Uri("/v1/collections", UriKind.Relative)),
            await http.GetAsync(new Uri("/v1/collections/missing", UriKind.Relative)),
            await anonymous.GetAsync(new Uri("/v1/collections", UriKind.Relative)),
            await anonymous.GetAsync(new Uri("/health/live", UriKind.Relative)),
        })
        {
            using (response)
            {
                Assert.Equal("nosniff", Header(response, "X-Content-Type-Options"));
                Assert.Equal("DENY", Header(response, "X-Frame-Options"));
                Assert.Equal("no-referrer", Header(response, "Referrer-Policy"));
                Assert.Contains("default-src 'none'", Header(response, "Content-Security-Policy"), StringComparison.Ordinal);
                Assert.False(response.Headers.Contains("Server"), "Server header leaks the stack");
                Assert.False(response.Headers.Contains("Strict-Transport-Security"), "HSTS over plain http");
            }
        }
    }

    [Fact]
    public async Task Cors_AllowsOnlyTheConfiguredPortalOrigin()
    {
        const string portal = "http://127.0.0.1:5173";
        await using var platform = await PlatformHost.StartAsync(postgres, new Dictionary<string, string?> { ["Gateway:CorsOrigins:0"] = portal });
        using var http = platform.Client(null);

        using var allowed = await http.SendAsync(Preflight(portal));
        Assert.Equal(HttpStatusCode.NoContent, allowed.StatusCode);
        Assert.Equal(portal, Header(allowed, "Access-Control-Allow-Origin"));
        Assert.Contains("authorization", Header(allowed, "Access-Control-Allow-Headers").ToLowerInvariant(), StringComparison.Ordinal);

        using var refused = await http.SendAsync(Preflight("https://evil.example"));
        Assert.False(refused.Headers.Contains("Access-Control-Allow-Origin"));

        using var simple = new HttpRequestMessage(HttpMethod.Get, new Uri("/v1/collections", UriKind.Relative));
        simple.Headers.Add("Origin", portal);
        using var actual = await http.SendAsync(simple);
        Assert.Equal(HttpStatusCode.Unauthorized, actual.StatusCode);
        Assert.Equal(portal, Header(actual, "Access-Control-Allow-Origin"));
    }

    // Like curl with a large body: the client waits for "100 Continue", so an early refusal is read, not a broken pipe.
    private static HttpRequestMessage Expecting(HttpContent body)
    {
        var request = new HttpRequestMessage(HttpMethod.Post, new Uri("/v1/collections/big/points", UriKind.Relative)) { Content = body };
        request.Headers.ExpectContinue = true;
        return request;
    }

    private static HttpRequestMessage Preflight(string origin)
    {
        var request = new HttpRequestMessage(HttpMethod.Options, new Uri("/v1/collections/docs/search", UriKind.Relative));
        request.Headers.Add("Origin", origin);
        request.Headers.Add("Access-Control-Request-Method", "POST");
        request.Headers.Add("Access-Control-Request-Headers", "authorization,content-type");
        return request;
    }

    private static string Header(HttpResponseMessage response, string name) =>
        response.Headers.TryGetValues(name, out var values) || response.Content.Headers.TryGetValues(name, out values)
            ? string.Join(",", values)
            : throw new Xunit.Sdk.XunitException($"missing header {name} on {(int)response.StatusCode} {response.RequestMessage?.RequestUri}");

    private static void AssertNothingInternal(string body, PlatformHost platform)
    {
        Assert.DoesNotContain("127.0.0.1", body, StringComparison.Ordinal);
        Assert.DoesNotContain(platform.ControlPlane.BaseAddress.Port.ToString(System.Globalization.CultureInfo.InvariantCulture), body, StringComparison.Ordinal);
        Assert.DoesNotContain("Exception", body, StringComparison.Ordinal);
        Assert.DoesNotContain("/tmp", body, StringComparison.Ordinal);
    }

    private static async Task AssertProblemAsync(HttpResponseMessage response, int status, string type)
    {
        using (response)
        {
            var body = await response.Content.ReadAsStringAsync();
            Assert.True((int)response.StatusCode == status, $"expected {status}, got {(int)response.StatusCode}: {body}");
            Assert.Equal(type, JsonNode.Parse(body)!["type"]!.GetValue<string>());
        }
    }

    private static HttpRequestMessage Json(HttpMethod method, string path, string? body) =>
        new(method, new Uri(path, UriKind.Relative)) { Content = body is null ? null : new StringContent(body, Encoding.UTF8, "application/json") };

    private static HttpRequestMessage Raw(HttpMethod method, string path, byte[] body, string contentType)
    {
        var content = new ByteArrayContent(body);
        content.Headers.ContentType = new(contentType);
        return new HttpRequestMessage(method, new Uri(path, UriKind.Relative)) { Content = content };
    }

    /// <summary>The system clock, moved forward by <see cref="Advance"/>.</summary>
    private sealed class ShiftedClock : TimeProvider
    {
        private TimeSpan _offset;

        public override DateTimeOffset GetUtcNow() => System.GetUtcNow() + _offset;

        public void Advance(TimeSpan by) => _offset += by;
    }

    /// <summary>A readable stream that hides its length, so HttpClient sends it chunked.</summary>
    private sealed class NoLengthStream(byte[] data) : MemoryStream(data)
    {
        public override bool CanSeek => false;
    }
}
