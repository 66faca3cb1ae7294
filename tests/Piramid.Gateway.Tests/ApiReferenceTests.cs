using System.Net;
using System.Net.Http.Headers;
using System.Text.RegularExpressions;
using Piramid.Gateway.Tests.Support;
using Piramid.TestKit;
using Piramid.TestKit.Platform;

namespace Piramid.Gateway.Tests;

/// <summary>The gateway serves the OpenAPI document and its rendered reference page to anyone, offline.</summary>
[Collection(GatewayCollection.Name)]
public sealed partial class ApiReferenceTests(PostgresFixture postgres)
{
    [Fact]
    public async Task OpenApiJson_IsTheCommittedDocument_WithoutCredential_AndRevalidatesWithItsETag()
    {
        await using var platform = await PlatformHost.StartAsync(postgres);
        using var http = platform.Client(null);

        using var answer = await http.GetAsync(new Uri("/openapi.json", UriKind.Relative));
        Assert.Equal(HttpStatusCode.OK, answer.StatusCode);
        Assert.Equal("application/json", answer.Content.Headers.ContentType?.MediaType);
        Assert.Equal(await File.ReadAllBytesAsync(Path.Combine(RepositoryPaths.Root, "docs", "openapi.json")), await answer.Content.ReadAsByteArrayAsync());
        var etag = answer.Headers.ETag ?? throw new Xunit.Sdk.XunitException("no ETag on /openapi.json");
        Assert.True(answer.Headers.CacheControl?.Public, "the document is cacheable by anyone");

        using var again = new HttpRequestMessage(HttpMethod.Get, "/openapi.json");
        again.Headers.IfNoneMatch.Add(etag);
        using var revalidated = await http.SendAsync(again);
        Assert.Equal(HttpStatusCode.NotModified, revalidated.StatusCode);
        Assert.Empty(await revalidated.Content.ReadAsByteArrayAsync());

        using var other = new HttpRequestMessage(HttpMethod.Get, "/openapi.json");
        other.Headers.IfNoneMatch.Add(new EntityTagHeaderValue("\"something-else\""));
        using var changed = await http.SendAsync(other);
        Assert.Equal(HttpStatusCode.OK, changed.StatusCode);
    }

    [Fact]
    public async Task Docs_RendersTheDocument_WithScriptsServedByTheGateway()
    {
        await using var platform = await PlatformHost.StartAsync(postgres);
        using var http = platform.Client(null);

        using var page = await http.GetAsync(new Uri("/docs", UriKind.Relative));
        Assert.Equal(HttpStatusCode.OK, page.StatusCode);
        Assert.Equal("text/html", page.Content.Headers.ContentType?.MediaType);
        var html = await page.Content.ReadAsStringAsync();
        // Scalar resolves a relative source against the site's root: "openapi.json" is /openapi.json.
        Assert.True(html.Contains("\"url\":\"openapi.json\"", StringComparison.Ordinal), html);
        // Its start script is inline: the page's policy lets it run (and still loads nothing from elsewhere).
        var policy = page.Headers.GetValues("Content-Security-Policy").Single();
        Assert.Contains("script-src 'self' 'unsafe-inline'", policy, StringComparison.Ordinal);
        Assert.Contains("default-src 'self'", policy, StringComparison.Ordinal);

        // Every script the page loads comes from the gateway (no CDN: the reference works offline) and is there.
        var scripts = ScriptSource().Matches(html).Select(m => m.Groups[1].Value).ToList();
        Assert.NotEmpty(scripts);
        foreach (var src in scripts)
        {
            var url = new Uri(new Uri(platform.GatewayAddress, "/docs/"), src);
            Assert.True(url.Authority == platform.GatewayAddress.Authority, $"/docs loads {src} from another host");
            using var script = await http.GetAsync(url);
            Assert.True(script.StatusCode == HttpStatusCode.OK, $"{url} answered {(int)script.StatusCode}");
            Assert.Contains("javascript", script.Content.Headers.ContentType?.MediaType ?? string.Empty, StringComparison.Ordinal);
        }
    }

    [GeneratedRegex("<script[^>]*\\bsrc=\"([^\"]+)\"", RegexOptions.IgnoreCase)]
    private static partial Regex ScriptSource();
}
