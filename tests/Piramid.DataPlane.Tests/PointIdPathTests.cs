using System.Net;
using System.Text;
using System.Text.Json.Nodes;
using Piramid.DataPlane.Tests.Support;
using Piramid.TestKit;

namespace Piramid.DataPlane.Tests;

/// <summary>
/// A point id in the path is the last raw segment percent-decoded once: ids with '/', '%', a literal "%2F", '+', spaces,
/// '?', '#' or unicode round-trip by path exactly as they were written by body.
/// </summary>
public sealed class PointIdPathTests : IAsyncLifetime
{
    // Characters that change meaning in a path once decoded, or that routing decodes differently ('/' stays "%2F").
    private static readonly string[] Awkward = ["/", "%", "%2F", "%2f", "%25", "%252F", "+", " ", "?", "#", "&", "=", ";", "\\", "..", ":", "@", "é", "中", "😀"];

    private EngineTestHost _host = null!;
    private HttpClient _http = null!;

    public async Task InitializeAsync()
    {
        _host = new EngineTestHost();
        var engine = await _host.StartAsync();
        _http = engine.CreateClient();
    }

    public async Task DisposeAsync()
    {
        _http.Dispose();
        await _host.DisposeAsync();
    }

    [Fact]
    public async Task PointIds_WithAnyCharacters_RoundTripByIdInThePath()
    {
        await _http.CreateCollectionAsync("ids", 2);
        var ids = AwkwardIds.Generate(new Random(20261206), Awkward, Awkward.Select(a => "p" + a + "q").Concat(["/", "//", "/lead", "trail/", "%2F", "a/b/c"]), 80);
        var points = ids.Select((id, i) => new { id, vector = new[] { 1f, i + 1f }, metadata = new { n = i } }).ToArray();
        await _http.OkAsync(HttpMethod.Post, "/v1/collections/ids/points", new { points });

        for (var i = 0; i < ids.Count; i++)
        {
            var id = ids[i];
            var path = PathOf(id);
            var got = await _http.SendAsync(HttpMethod.Get, path);
            Assert.True(got.Status == HttpStatusCode.OK, $"GET {AwkwardIds.Show(id)} as {path}: {(int)got.Status} {got.Raw}");
            Assert.Equal(id, got.Body!["id"]!.GetValue<string>());
            Assert.Equal(i, got.Body["metadata"]!["n"]!.GetValue<int>());

            var patched = await _http.SendAsync(HttpMethod.Patch, path, new { metadata = new { patched = i } });
            Assert.True(patched.Status == HttpStatusCode.OK, $"PATCH {AwkwardIds.Show(id)} as {path}: {(int)patched.Status} {patched.Raw}");
            var after = await _http.OkAsync(HttpMethod.Get, path);
            Assert.Equal(i, after["metadata"]!["patched"]!.GetValue<int>());
        }

        // The patches landed on the ids written, not on look-alikes: every point by body carries its own mark.
        var all = await _http.ScrollAllAsync("ids");
        Assert.Equal(ids.Count, all.Count);
        Assert.All(ids.Select((id, i) => (id, i)), p => Assert.Equal(p.i, all[p.id]["metadata"]!["patched"]!.GetValue<int>()));

        await _http.OkAsync(HttpMethod.Post, "/v1/collections/ids/points/delete", new { ids });
        foreach (var id in ids)
        {
            var gone = await _http.SendAsync(HttpMethod.Get, PathOf(id));
            Assert.True(gone.Status == HttpStatusCode.NotFound, $"deleted {AwkwardIds.Show(id)}: {(int)gone.Status} {gone.Raw}");
        }
    }

    [Theory]
    [InlineData("a%zz")]
    [InlineData("a%2")]
    [InlineData("a%")]
    [InlineData("a%C3")]
    [InlineData("%FF%FE")]
    public async Task PointId_WithABadEscape_IsA400NamingTheId(string raw)
    {
        await _http.CreateCollectionAsync("bad", 2);
        foreach (var method in new[] { HttpMethod.Get, HttpMethod.Patch })
        {
            // HttpClient re-escapes a bad '%' of an ordinary Uri ("a%zz" would go out as "a%25zz"); this one goes out as written.
            var uri = new Uri(_http.BaseAddress + "v1/collections/bad/points/" + raw, new UriCreationOptions { DangerousDisablePathAndQueryCanonicalization = true });
            using var request = new HttpRequestMessage(method, uri);
            if (method == HttpMethod.Patch)
            {
                request.Content = new StringContent("""{"metadata":{"x":1}}""", Encoding.UTF8, "application/json");
            }

            using var response = await _http.SendAsync(request);
            var body = await response.Content.ReadAsStringAsync();
            Assert.EndsWith("/points/" + raw, response.RequestMessage!.RequestUri!.AbsoluteUri, StringComparison.Ordinal);
            ApiCalls.AssertProblem((response.StatusCode, JsonNode.Parse(body), body, response.Content.Headers.ContentType?.MediaType), 400, raw);
        }
    }

    private static string PathOf(string id) => "/v1/collections/ids/points/" + Uri.EscapeDataString(id);
}
