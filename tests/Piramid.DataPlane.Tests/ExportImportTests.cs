using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json.Nodes;
using Piramid.Contracts.Exports;
using Piramid.DataPlane.Tests.Support;
using Piramid.TestKit.Processes;

namespace Piramid.DataPlane.Tests;

/// <summary>
/// The engine's export and import over real HTTP (docs/design/export-format.md): an export imported into a new
/// collection gives the same content and the same search answers in both vector encodings; gzip and plain bodies
/// import alike; a bad line is a 400 naming it, with the batches before it applied and nothing after; an import
/// retried after a kill counts each point once (applied batches are replayed, not written again); only the platform
/// may call these endpoints.
/// </summary>
public sealed class ExportImportTests : IAsyncLifetime
{
    private EngineTestHost _host = null!;
    private EngineProcess _engine = null!;
    private HttpClient _http = null!;

    public async Task InitializeAsync()
    {
        _host = new EngineTestHost();
        _engine = await _host.StartAsync();
        _http = _engine.CreateClient(role: "platform_admin", principal: "control-plane");
    }

    public async Task DisposeAsync()
    {
        _http.Dispose();
        await _host.DisposeAsync();
    }

    [Theory]
    [InlineData(VectorEncodings.Base64F32Le, "cosine")]
    [InlineData(VectorEncodings.Json, "euclidean")]
    public async Task ExportThenImport_IntoANewCollection_GivesTheSameContentAndSearchResults(string encoding, string metric)
    {
        await _http.CreateCollectionAsync("src", 16, metric);
        await _http.CreateCollectionAsync("dst", 16, metric);
        var lines = ExportFiles.Points(2500, 16, seed: 7).Select(p => ExportFiles.Line(p)).ToList();
        var loaded = await _http.ImportAsync("src", "load", new LinesContent(lines));
        Assert.True(loaded.Status == HttpStatusCode.OK, loaded.Raw);

        using var response = await _http.GetAsync(ExportFiles.ExportPath("src", encoding));
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("2500", response.Headers.GetValues(ExportHeaders.Count).Single());
        Assert.Equal(encoding, response.Headers.GetValues(ExportHeaders.VectorEncoding).Single());
        var file = await response.Content.ReadAsByteArrayAsync();
        var exported = ExportFiles.Gunzip(file);
        Assert.Equal(2500, exported.Length);
        Assert.Equal(encoding == VectorEncodings.Json, exported[0].Contains("\"vector\":[", StringComparison.Ordinal));
        Assert.Equal(exported.Order(StringComparer.Ordinal), exported); // id order: ids sort like their lines

        var imported = await _http.ImportAsync("dst", "move-1", new ByteArrayContent(file));
        Assert.True(imported.Status == HttpStatusCode.OK, imported.Raw);
        Assert.Equal(2500, (long)imported.Body!["points"]!);
        Assert.Equal(3, (long)imported.Body["batches"]!);

        Assert.Equal(await _http.ContentHashAsync("src"), await _http.ContentHashAsync("dst"));
        var random = new Random(3);
        for (var q = 0; q < 20; q++)
        {
            var query = new { vector = Enumerable.Range(0, 16).Select(_ => (float)(random.NextDouble() * 2 - 1)).ToArray(), top_k = 10 };
            var before = await _http.OkAsync(HttpMethod.Post, "/v1/collections/src/search", query);
            var after = await _http.OkAsync(HttpMethod.Post, "/v1/collections/dst/search", query);
            Assert.Equal(before["results"]!.ToJsonString(), after["results"]!.ToJsonString());
        }
    }

    [Fact]
    public async Task Import_PlainGzipAndMixedEncodings_GiveTheSameContent()
    {
        var points = ExportFiles.Points(1200, 8, seed: 11).ToList();
        var base64 = Encoding.UTF8.GetBytes(string.Join("\n", points.Select(p => ExportFiles.Line(p))) + "\n");
        // Every other line in JSON numbers, CRLF line ends, a blank line and no newline at the end.
        var mixed = Encoding.UTF8.GetBytes(string.Join("\r\n", points.Select((p, i) => ExportFiles.Line(p, i % 2 == 0 ? "json" : "base64-f32le"))).Replace("\r\n", "\r\n\r\n", StringComparison.Ordinal));
        foreach (var name in new[] { "plain", "gzip", "mixed" })
        {
            await _http.CreateCollectionAsync(name, 8);
        }

        Assert.Equal(HttpStatusCode.OK, (await _http.ImportAsync("plain", "i1", new ByteArrayContent(base64))).Status);
        Assert.Equal(HttpStatusCode.OK, (await _http.ImportAsync("gzip", "i1", new ByteArrayContent(ExportFiles.Gzip(base64)))).Status);
        var mixedResult = await _http.ImportAsync("mixed", "i1", new ByteArrayContent(mixed));
        Assert.True(mixedResult.Status == HttpStatusCode.OK, mixedResult.Raw);
        Assert.Equal(1200, (long)mixedResult.Body!["points"]!);

        var expected = await _http.ContentHashAsync("plain");
        Assert.Equal(expected, await _http.ContentHashAsync("gzip"));
        Assert.Equal(expected, await _http.ContentHashAsync("mixed"));
        var stored = await _http.OkAsync(HttpMethod.Get, "/v1/collections/plain/points/p00007?include_vector=true");
        Assert.Equal(points[7].Vector, stored["vector"]!.AsArray().Select(v => v!.GetValue<float>()));
    }

    [Theory]
    [InlineData(1)]
    [InlineData(2)]
    [InlineData(3)]
    [InlineData(4)]
    [InlineData(5)]
    [InlineData(6)]
    [InlineData(7)]
    [InlineData(8)]
    public async Task Import_BadLine_IsA400NamingItAndNothingFromItsBatchOnIsApplied(int seed)
    {
        var random = new Random(seed);
        var lines = ExportFiles.Points(2600, 4, seed).Select(p => ExportFiles.Line(p, seed % 2 == 0 ? "json" : "base64-f32le")).ToList();
        var bad = random.Next(0, lines.Count);
        string[] kinds =
        [
            """{"id":"x","vector":[1,2,3]}""",                      // wrong dimension
            """{"id":"x","vector":"AACAPwAAAEA="}""",               // 2 floats in base64
            """{"id":"x","vector":"not base64!"}""",
            """{"id":"x","vector":[1,2,3,"4"]}""",
            """{"id":"x","vector":[1,2,3,1e39]}""",                 // not a float32
            """{"id":"","vector":[1,2,3,4]}""",
            """{"vector":[1,2,3,4]}""",
            """{"id":"x","vector":[1,2,3,4],"metadata":[1]}""",
            """{"id":"x","vector":[1,2,3,4],"extra":1}""",
            """{"id":"x","vector":[1,2,3,4]""",                     // cut short
            """[1,2,3]""",
            """{"id":"x","id":"y","vector":[1,2,3,4]}""",
        ];
        lines[bad] = kinds[random.Next(kinds.Length)];
        await _http.CreateCollectionAsync("docs", 4);

        var result = await _http.ImportAsync("docs", "bad", new LinesContent(lines));

        var line = bad + 1;
        Assert.True(result.Status == HttpStatusCode.BadRequest, result.Raw);
        Assert.Equal("https://piramid.dev/problems/invalid-request", (string?)result.Body!["type"]);
        Assert.StartsWith($"Line {line}: ", (string?)result.Body["detail"], StringComparison.Ordinal);
        Assert.Equal(line, (long)result.Body["line"]!);
        var applied = (line - 1) / 1000 * 1000;
        Assert.Equal(applied, (long)result.Body["applied_points"]!);
        var count = await _http.OkAsync(HttpMethod.Post, "/v1/collections/docs/count");
        Assert.Equal(applied, (long)count["count"]!);
    }

    [Fact]
    public async Task Import_RetriedAfterTheEngineWasKilled_CountsEachPointOnce()
    {
        await _http.CreateCollectionAsync("docs", 8);
        var lines = ExportFiles.Points(5000, 8, seed: 5).Select(p => ExportFiles.Line(p)).ToList();
        var gate = new TaskCompletionSource();
        var first = _http.ImportAsync("docs", "retry-1", new LinesContent(lines, gateAt: 3000, gate.Task));

        // Two batches of 1,000 are applied once the third begins; the first of them was acknowledged (durable).
        await WaitForCountAsync("docs", 2000);
        _engine.Kill();
        gate.SetResult(); // the rest of the body meets the closed connection
        await Assert.ThrowsAnyAsync<Exception>(() => first);

        _engine = await _host.StartAsync();
        using var http = _engine.CreateClient(role: "platform_admin", principal: "control-plane");
        var recovered = (long)(await http.OkAsync(HttpMethod.Post, "/v1/collections/docs/count"))["count"]!;
        Assert.True(recovered is 1000 or 2000, $"{recovered} points after the kill: batches are all or nothing and the first was acknowledged.");
        // Changed after the kill: a batch applied again would undo it.
        await http.OkAsync(HttpMethod.Patch, "/v1/collections/docs/points/p00005", new { metadata = new { changed = true } });

        var retry = await http.ImportAsync("docs", "retry-1", new LinesContent(lines));

        Assert.True(retry.Status == HttpStatusCode.OK, retry.Raw);
        Assert.Equal(5000, (long)retry.Body!["points"]!);
        Assert.Equal(recovered, (long)retry.Body["replayed_points"]!);
        Assert.Equal(5000, (long)(await http.OkAsync(HttpMethod.Post, "/v1/collections/docs/count"))["count"]!);
        var kept = await http.OkAsync(HttpMethod.Get, "/v1/collections/docs/points/p00005");
        Assert.True((bool)kept["metadata"]!["changed"]!);
    }

    [Theory]
    [InlineData("admin")]
    [InlineData("read_write")]
    public async Task ExportAndImport_ForATenantRole_Are403(string role)
    {
        await _http.CreateCollectionAsync("docs", 2);
        using var tenant = _engine.CreateClient(role: role);

        using var export = await tenant.GetAsync(ExportFiles.ExportPath("docs"));
        var import = await tenant.ImportAsync("docs", "x", new StringContent("""{"id":"a","vector":[1,2]}"""));

        Assert.Equal(HttpStatusCode.Forbidden, export.StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, import.Status);
        Assert.Equal(0, (long)(await _http.OkAsync(HttpMethod.Post, "/v1/collections/docs/count"))["count"]!);
    }

    [Fact]
    public async Task ExportAndImport_BadParameters_Are4xxNamingThem()
    {
        await _http.CreateCollectionAsync("docs", 2);

        var encoding = await _http.SendAsync(HttpMethod.Get, ExportFiles.ExportPath("docs", "float16"));
        var missing = await _http.SendAsync(HttpMethod.Get, ExportFiles.ExportPath("nope"));
        var noId = await _http.SendRawAsync(HttpMethod.Post, "/internal/v1/collections/docs/import", """{"id":"a","vector":[1,2]}""");
        var badId = await _http.ImportAsync("docs", "a%20b", new StringContent("""{"id":"a","vector":[1,2]}"""));

        ApiCalls.AssertProblem(encoding, 400, "vector_encoding");
        ApiCalls.AssertProblem(missing, 404, "nope");
        ApiCalls.AssertProblem(noId, 400, "import_id");
        Assert.Equal(HttpStatusCode.BadRequest, badId.Status);
    }

    private async Task WaitForCountAsync(string collection, long atLeast)
    {
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(60));
        while ((long)(await _http.OkAsync(HttpMethod.Post, $"/v1/collections/{collection}/count"))["count"]! < atLeast)
        {
            await Task.Delay(10, timeout.Token);
        }
    }
}
