using System.Net;
using System.Net.Http.Headers;
using Microsoft.Extensions.Options;
using Piramid.Gateway.Tests.Support;
using Piramid.TestKit;
using Piramid.TestKit.Platform;

namespace Piramid.Gateway.Tests;

/// <summary>
/// The gateway serves a built portal at <c>/</c> (a small stand-in for <c>portal/dist</c>): hashed assets cached for a
/// year, index.html and the app's routes revalidated, a strict policy on every portal answer, and the API's paths
/// untouched (their 404s stay problem+json, never the app's HTML).
/// </summary>
[Collection(GatewayCollection.Name)]
public sealed class PortalTests(PostgresFixture postgres)
{
    private const string Index = "<!doctype html><html lang=\"en\"><head><title>Piramid portal</title><script type=\"module\" src=\"/assets/index-3f9a1c2b.js\"></script></head><body><div id=\"root\"></div></body></html>";

    private const string Script = "console.log('portal');";

    private const string StrictPolicy = "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; connect-src 'self'; " +
        "frame-ancestors 'none'; base-uri 'self'; form-action 'self'; object-src 'none'";

    private const string Secret = "not-for-the-browser-7c1e";

    // What no API path may answer with, whatever the Accept header: the app's HTML.
    private static readonly string[] ApiPaths =
    [
        "/v1/nothing-here", "/v1/collections/x/nothing", "/connect/nothing", "/account/nothing", "/.well-known/nothing", "/internal/nothing",
        "/health/nothing", "/metrics", "/metrics/nothing", "/openapi.json/x", "/docs/nothing/here.html", "/webhooks/stripe", "/webhooks",
    ];

    [Fact]
    public async Task Portal_ServesItsFilesWithCachingAndTheStrictPolicy_AndIndexForAppRoutes_ButApiPathsKeepTheirProblems()
    {
        using var site = PortalSite();
        await using var platform = await PlatformHost.StartAsync(postgres, new Dictionary<string, string?> { ["Gateway:PortalDirectory"] = site.Combine("dist") });
        using var http = platform.Client(null);

        // The root is index.html, revalidated on each load, under the strict policy and the usual hardening.
        using var root = await GetAsync(http, "/", "text/html");
        Assert.Equal(HttpStatusCode.OK, root.StatusCode);
        Assert.Equal("text/html", root.Content.Headers.ContentType?.MediaType);
        Assert.Equal(Index, await root.Content.ReadAsStringAsync());
        AssertPortalHeaders(root, "no-cache");
        Assert.Equal("nosniff", root.Headers.GetValues("X-Content-Type-Options").Single());
        Assert.Equal("DENY", root.Headers.GetValues("X-Frame-Options").Single());
        Assert.Equal("no-referrer", root.Headers.GetValues("Referrer-Policy").Single());
        // curl's */* still gets the portal at its root.
        using (var anyType = await GetAsync(http, "/", "*/*"))
        {
            Assert.Equal(Index, await anyType.Content.ReadAsStringAsync());
        }

        // Revalidation costs no body.
        using (var again = new HttpRequestMessage(HttpMethod.Get, "/"))
        {
            again.Headers.IfNoneMatch.Add(root.Headers.ETag ?? throw new Xunit.Sdk.XunitException("no ETag on index.html"));
            using var revalidated = await http.SendAsync(again);
            Assert.Equal(HttpStatusCode.NotModified, revalidated.StatusCode);
        }

        // Hashed assets: a year, immutable.
        using var script = await GetAsync(http, "/assets/index-3f9a1c2b.js", "*/*");
        Assert.Equal(HttpStatusCode.OK, script.StatusCode);
        Assert.Contains("javascript", script.Content.Headers.ContentType?.MediaType ?? string.Empty, StringComparison.Ordinal);
        Assert.Equal(Script, await script.Content.ReadAsStringAsync());
        AssertPortalHeaders(script, "public, max-age=31536000, immutable");
        using var style = await GetAsync(http, "/assets/index-77d0e1aa.css", "text/css,*/*;q=0.1");
        Assert.Equal("text/css", style.Content.Headers.ContentType?.MediaType);
        AssertPortalHeaders(style, "public, max-age=31536000, immutable");
        // Other top-level files of the build are revalidated like index.html.
        using var icon = await GetAsync(http, "/favicon.svg", "image/*");
        Assert.Equal(HttpStatusCode.OK, icon.StatusCode);
        AssertPortalHeaders(icon, "no-cache");

        // The app's routes, for a browser (GET or HEAD asking for HTML): index.html.
        foreach (var route in new[] { "/t/ten_1/collections", "/t/ten_1/collections/wordnet/search", "/callback?code=abc&state=xyz", "/admin/tenants", "/invite?token=x", "/index.html" })
        {
            using var page = await GetAsync(http, route, "text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8");
            Assert.True(page.StatusCode == HttpStatusCode.OK, $"{route}: {(int)page.StatusCode}");
            Assert.Equal(Index, await page.Content.ReadAsStringAsync());
            AssertPortalHeaders(page, "no-cache");
        }

        using (var head = new HttpRequestMessage(HttpMethod.Head, "/t/ten_1/members"))
        {
            head.Headers.Accept.ParseAdd("text/html");
            using var answer = await http.SendAsync(head);
            Assert.Equal(HttpStatusCode.OK, answer.StatusCode);
            Assert.Equal(Index.Length, answer.Content.Headers.ContentLength);
            Assert.Empty(await answer.Content.ReadAsByteArrayAsync());
        }

        // Not a page: a client that does not ask for HTML, another method, a missing hashed file, a dot file.
        foreach (var (method, path, accept) in new[]
        {
            ("GET", "/t/ten_1/collections", "application/json"), ("GET", "/t/ten_1/collections", "*/*"), ("GET", "/t/x", "text/html;q=0"),
            ("POST", "/t/ten_1/collections", "text/html"), ("DELETE", "/", "text/html"), ("GET", "/assets/index-00000000.js", "text/html"),
            ("GET", "/assets/", "text/html"), ("GET", "/.env", "*/*"),
        })
        {
            using var request = new HttpRequestMessage(new HttpMethod(method), path);
            request.Headers.Accept.ParseAdd(accept);
            using var answer = await http.SendAsync(request);
            var body = await answer.Content.ReadAsStringAsync();
            Assert.True((int)answer.StatusCode is >= 400 and < 500, $"{method} {path} ({accept}): {(int)answer.StatusCode} {body}");
            Assert.Equal("application/problem+json", answer.Content.Headers.ContentType?.MediaType);
            Assert.DoesNotContain("Piramid portal", body, StringComparison.Ordinal);
            Assert.DoesNotContain(Secret, body, StringComparison.Ordinal);
        }

        // The API, identity and operations paths are never the portal's, even for a browser.
        foreach (var path in ApiPaths)
        {
            foreach (var accept in new[] { "text/html", "application/json" })
            {
                using var answer = await GetAsync(http, path, accept);
                var body = await answer.Content.ReadAsStringAsync();
                Assert.True((int)answer.StatusCode is >= 400 and < 500, $"{path} ({accept}): {(int)answer.StatusCode} {body}");
                Assert.True(answer.Content.Headers.ContentType?.MediaType == "application/problem+json", $"{path} ({accept}): {answer.Content.Headers.ContentType} {body}");
                Assert.DoesNotContain("Piramid portal", body, StringComparison.Ordinal);
            }
        }

        // The data API's own 404 is unchanged.
        using (var unknown = await GetAsync(http, "/v1/nothing-here", "text/html"))
        {
            Assert.Equal(HttpStatusCode.NotFound, unknown.StatusCode);
        }

        // The sign-in page looks like the portal through a stylesheet of its own: nothing inline, the same strict policy.
        using (var login = await GetAsync(http, "/account/login", "text/html"))
        {
            var html = await login.Content.ReadAsStringAsync();
            Assert.Equal(HttpStatusCode.OK, login.StatusCode);
            Assert.Equal(StrictPolicy, login.Headers.GetValues("Content-Security-Policy").Single());
            Assert.Contains("<link rel=\"stylesheet\" href=\"/account/login.css\">", html, StringComparison.Ordinal);
            foreach (var inline in new[] { "<style", "style=", "<script", "javascript:" })
            {
                Assert.DoesNotContain(inline, html, StringComparison.OrdinalIgnoreCase);
            }

            Assert.DoesNotMatch(@"\son[a-z]+\s*=", html);

            Assert.Contains("<label>Email <input name=\"email\"", html, StringComparison.Ordinal);
            Assert.Contains("<label>Password <input name=\"password\" type=\"password\"", html, StringComparison.Ordinal);
            Assert.Contains("<button type=\"submit\">Sign in</button>", html, StringComparison.Ordinal);
        }

        using (var stylesheet = await GetAsync(http, "/account/login.css", "text/css"))
        {
            Assert.Equal(HttpStatusCode.OK, stylesheet.StatusCode);
            Assert.Equal("text/css", stylesheet.Content.Headers.ContentType?.MediaType);
            Assert.Contains("--accent", await stylesheet.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        }

        // The reference page keeps its own policy.
        using var docs = await GetAsync(http, "/docs", "text/html");
        Assert.Contains("'unsafe-inline'", docs.Headers.GetValues("Content-Security-Policy").Single(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task PathTraversal_InEverySpelling_NeverReadsOutsideThePortal_AndNeverFails()
    {
        using var site = PortalSite();
        await using var platform = await PlatformHost.StartAsync(postgres, new Dictionary<string, string?> { ["Gateway:PortalDirectory"] = site.Combine("dist") });

        // Every spelling of "up one directory" and of a separator, at several depths, under the assets, the root and an
        // app route, aimed at a file beside the portal's directory and at the system's password file.
        string[] ups = ["..", "%2e%2e", "%2E%2E", ".%2e", "%2e.", "%252e%252e", "%c0%ae%c0%ae", "..%00", "...", ".%00."];
        string[] separators = ["/", "%2f", "%2F", "%5c", "%5C", "%252f", "\\", "%c0%af"];
        string[] prefixes = ["/assets/", "/", "/t/x/"];
        string[] targets = ["secret.txt", "etc/passwd", "dist/.env"];
        var checkedPaths = 0;
        foreach (var prefix in prefixes)
        {
            foreach (var up in ups)
            {
                foreach (var separator in separators)
                {
                    for (var depth = 1; depth <= 3; depth++)
                    {
                        var target = targets[(depth + up.Length + separator.Length) % targets.Length];
                        var path = prefix + string.Concat(Enumerable.Repeat(up + separator, depth)) + target;
                        var accept = depth % 2 == 0 ? "text/html" : "*/*";
                        var answer = await RawHttp.SendAsync(platform.GatewayAddress,
                            $"GET {path} HTTP/1.1\r\nHost: {platform.GatewayAddress.Authority}\r\nAccept: {accept}\r\nConnection: close\r\n\r\n");
                        Assert.True(answer.Status < 500, $"{path}: {answer}");
                        Assert.DoesNotContain(Secret, answer.Body, StringComparison.Ordinal);
                        Assert.DoesNotContain("root:", answer.Body, StringComparison.Ordinal);
                        // Either a refusal with a problem body, or the app's own page (a path the browser resolved inside the site).
                        Assert.True(answer.Status == 200 ? answer.Body == Index : answer.Status >= 400 && answer.ProblemType is not null, $"{path}: {answer}");
                        checkedPaths++;
                    }
                }
            }
        }

        Assert.Equal(prefixes.Length * ups.Length * separators.Length * 3, checkedPaths);
    }

    [Fact]
    public async Task NoPortalDirectory_TheRootIsTheApisProblem404()
    {
        await using var platform = await PlatformHost.StartAsync(postgres);
        using var http = platform.Client(null);
        foreach (var path in new[] { "/", "/t/ten_1/collections", "/assets/index.js" })
        {
            using var answer = await GetAsync(http, path, "text/html");
            Assert.Equal(HttpStatusCode.NotFound, answer.StatusCode);
            Assert.Equal("application/problem+json", answer.Content.Headers.ContentType?.MediaType);
        }
    }

    [Theory]
    [InlineData("missing")]
    [InlineData("without-index")]
    public async Task APortalDirectoryWithoutIndexHtml_StopsTheGatewayAtStart_NamingTheSetting(string kind)
    {
        using var site = new TempDirectory("piramid-portal");
        Directory.CreateDirectory(site.Combine("without-index", "assets"));
        var builder = WebApplication.CreateBuilder();
        builder.WebHost.UseUrls($"http://127.0.0.1:{LoopbackPort.GetFree()}");
        builder.Configuration.AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["Gateway:ControlPlaneUrl"] = "http://127.0.0.1:9/",
            ["Gateway:ClientId"] = "gateway",
            ["Gateway:ClientSecret"] = "unused",
            ["Gateway:PortalDirectory"] = site.Combine(kind),
        });
        builder.AddGateway();
        // Kestrel's settings read the options when the app is built: the refusal comes there, before any request.
        var refused = await Assert.ThrowsAsync<OptionsValidationException>(async () =>
        {
            await using var gateway = builder.Build();
            gateway.UseGateway();
            await gateway.StartAsync();
        });
        Assert.Contains("Gateway:PortalDirectory", refused.Message, StringComparison.Ordinal);
    }

    private static void AssertPortalHeaders(HttpResponseMessage answer, string cacheControl)
    {
        Assert.Equal(StrictPolicy, answer.Headers.GetValues("Content-Security-Policy").Single());
        Assert.Equal(cacheControl, string.Join(", ", answer.Headers.GetValues("Cache-Control")));
    }

    private static async Task<HttpResponseMessage> GetAsync(HttpClient http, string path, string accept)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, path);
        request.Headers.Accept.Add(MediaTypeWithQualityHeaderValue.Parse(accept.Split(',')[0]));
        foreach (var more in accept.Split(',').Skip(1))
        {
            request.Headers.Accept.Add(MediaTypeWithQualityHeaderValue.Parse(more));
        }

        return await http.SendAsync(request);
    }

    // A stand-in for portal/dist, with a secret beside it that no request may read, and a dot file inside it.
    private static TempDirectory PortalSite()
    {
        var site = new TempDirectory("piramid-portal");
        Directory.CreateDirectory(site.Combine("dist", "assets"));
        File.WriteAllText(site.Combine("dist", "index.html"), Index);
        File.WriteAllText(site.Combine("dist", "assets", "index-3f9a1c2b.js"), Script);
        File.WriteAllText(site.Combine("dist", "assets", "index-77d0e1aa.css"), "body{margin:0}");
        File.WriteAllText(site.Combine("dist", "favicon.svg"), "<svg xmlns=\"http://www.w3.org/2000/svg\"/>");
        File.WriteAllText(site.Combine("dist", ".env"), Secret);
        File.WriteAllText(site.Combine("secret.txt"), Secret);
        return site;
    }
}
