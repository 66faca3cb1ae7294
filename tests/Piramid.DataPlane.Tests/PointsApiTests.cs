using System.Text.Json.Nodes;
using Piramid.DataPlane.Tests.Support;

namespace Piramid.DataPlane.Tests;

/// <summary>The data-plane API end to end against a real engine process.</summary>
public sealed class PointsApiTests : IAsyncLifetime
{
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
    public async Task CreateCollection_IsIdempotentForSameSettings_ConflictsOtherwise()
    {
        var (status, body, _, _) = await _http.SendAsync(HttpMethod.Put, "/v1/collections/movies", new { dimension = 3, metric = "dot" });
        Assert.Equal(201, (int)status);
        Assert.Equal("dot", body!["metric"]!.GetValue<string>());
        Assert.Equal("hnsw", body["index"]!["type"]!.GetValue<string>());
        Assert.Equal(200, (int)(await _http.SendAsync(HttpMethod.Put, "/v1/collections/movies", new { dimension = 3, metric = "dot" })).Status);
        ApiCalls.AssertProblem(await _http.SendAsync(HttpMethod.Put, "/v1/collections/movies", new { dimension = 4 }), 409, "already exists");
    }

    [Fact]
    public async Task Points_CrudFilterScrollCount_Work()
    {
        await _http.CreateCollectionAsync("books", 2, "euclidean");
        var points = Enumerable.Range(0, 30).Select(i => new
        {
            id = $"b{i:D2}",
            vector = new[] { (float)i, 0f },
            metadata = new { year = 1990 + i, genre = i % 3 == 0 ? "drama" : "comedy", author = new { name = $"a{i % 5}" }, tags = new[] { "t" + (i % 4) } },
        }).ToArray();
        var write = await _http.OkAsync(HttpMethod.Post, "/v1/collections/books/points", new { points });
        Assert.Equal(30, write["count"]!.GetValue<long>());
        Assert.True(write["lsn"]!.GetValue<long>() >= 1);

        var one = await _http.OkAsync(HttpMethod.Get, "/v1/collections/books/points/b07?include_vector=true");
        Assert.Equal([7f, 0f], one["vector"]!.AsArray().Select(v => v!.GetValue<float>()));
        Assert.Equal(1997, one["metadata"]!["year"]!.GetValue<int>());

        var many = await _http.OkAsync(HttpMethod.Post, "/v1/collections/books/points/get", new { ids = new[] { "b03", "missing", "b01" } });
        Assert.Equal(["b03", "b01"], many["points"]!.AsArray().Select(p => p!["id"]!.GetValue<string>()));

        Assert.Equal(10, (await Count(new { genre = "drama" })));
        Assert.Equal(10, (await Count(new JsonObject { ["year"] = new JsonObject { ["$gte"] = 2000, ["$lt"] = 2010 } })));
        Assert.Equal(6, (await Count(new JsonObject { ["author.name"] = "a2" })));
        Assert.Equal(15, (await Count(new JsonObject { ["tags"] = new JsonObject { ["$in"] = new JsonArray("t0", "t2") } })));

        var patched = await _http.OkAsync(HttpMethod.Patch, "/v1/collections/books/points/b07", new { metadata = new { genre = (string?)null, rating = 4.5 } });
        Assert.Equal(1, patched["count"]!.GetValue<long>());
        var after = await _http.OkAsync(HttpMethod.Get, "/v1/collections/books/points/b07");
        Assert.Null(after["metadata"]!["genre"]);
        Assert.Equal(4.5, after["metadata"]!["rating"]!.GetValue<double>());
        Assert.Equal(1997, after["metadata"]!["year"]!.GetValue<int>());

        var seen = new List<string>();
        string? cursor = null;
        do
        {
            var page = await _http.OkAsync(HttpMethod.Post, "/v1/collections/books/scroll", new { limit = 7, cursor, include_metadata = false });
            seen.AddRange(page["points"]!.AsArray().Select(p => p!["id"]!.GetValue<string>()));
            Assert.All(page["points"]!.AsArray(), p => Assert.Null(p!["metadata"]));
            cursor = page["next_cursor"]?.GetValue<string>();
        }
        while (cursor is not null);
        Assert.Equal(Enumerable.Range(0, 30).Select(i => $"b{i:D2}"), seen);

        var deleted = await _http.OkAsync(HttpMethod.Post, "/v1/collections/books/points/delete", new { ids = new[] { "b00", "b01", "nope" } });
        Assert.Equal(2, deleted["count"]!.GetValue<long>());
        var byFilter = await _http.OkAsync(HttpMethod.Post, "/v1/collections/books/points/delete", new { filter = new { genre = "drama" } });
        Assert.Equal(9, byFilter["count"]!.GetValue<long>()); // b00 already gone
        Assert.Equal(19, await Count(new { }));

        var info = await _http.OkAsync(HttpMethod.Get, "/v1/collections/books");
        Assert.Equal(19, info["count"]!.GetValue<long>());
        Assert.True(info["bytes_on_disk"]!.GetValue<long>() > 0);
    }

    [Fact]
    public async Task Search_ReturnsExactTopK_WithFilterAndThreshold()
    {
        await _http.CreateCollectionAsync("pts", 2, "euclidean");
        var points = Enumerable.Range(0, 100).Select(i => new { id = $"p{i}", vector = new[] { (float)i, 0f }, metadata = new { even = i % 2 == 0 } }).ToArray();
        await _http.OkAsync(HttpMethod.Post, "/v1/collections/pts/points", new { points });

        var plain = await _http.OkAsync(HttpMethod.Post, "/v1/collections/pts/search", new { vector = new[] { 10.2f, 0f }, top_k = 3 });
        Assert.Equal(["p10", "p11", "p9"], Ids(plain));
        Assert.Equal(-0.2f, plain["results"]![0]!["score"]!.GetValue<float>(), 3);

        var filtered = await _http.OkAsync(HttpMethod.Post, "/v1/collections/pts/search", new { vector = new[] { 10.2f, 0f }, top_k = 3, filter = new { even = false } });
        Assert.Equal(["p11", "p9", "p13"], Ids(filtered));

        var ranged = await _http.OkAsync(HttpMethod.Post, "/v1/collections/pts/search", new { vector = new[] { 50f, 0f }, top_k = 100, score_threshold = -2.5f });
        Assert.Equal(5, ranged["results"]!.AsArray().Count);
    }

    // A length lets the gateway forward an answer in one write; a page too big to hold streams chunked instead.
    [Fact]
    public async Task Answers_CarryAContentLength_UntilTheyOutgrowTheBuffer()
    {
        using (var created = await Send(HttpMethod.Put, "/v1/collections/sized", """{"dimension":64,"metric":"euclidean","index":{"type":"flat"}}"""))
        {
            Assert.Equal(201, (int)created.StatusCode);
            Assert.Equal("/v1/collections/sized", created.Headers.Location?.OriginalString);
            await AssertSizedAsync(created);
        }

        var points = Enumerable.Range(0, 300).Select(i => new { id = $"s{i:D3}", vector = Enumerable.Range(0, 64).Select(d => (i * 0.37f) + (d * 0.011f)).ToArray() }).ToArray();
        await _http.OkAsync(HttpMethod.Post, "/v1/collections/sized/points", new { points });

        using (var search = await Send(HttpMethod.Post, "/v1/collections/sized/search", $"{{\"vector\":[{string.Join(',', Enumerable.Repeat("1", 64))}],\"top_k\":10}}"))
        {
            Assert.Equal(10, (await AssertSizedAsync(search))["results"]!.AsArray().Count);
        }

        // 300 vectors of 64 floats is about 250 KB of JSON, past the 64 KB buffer.
        using var page = await Send(HttpMethod.Post, "/v1/collections/sized/scroll", """{"limit":300,"include_vector":true}""");
        Assert.Equal(200, (int)page.StatusCode);
        Assert.True(page.Headers.TransferEncodingChunked);
        Assert.Null(page.Content.Headers.ContentLength);
        var body = JsonNode.Parse(await page.Content.ReadAsStringAsync())!;
        Assert.Equal(points.Select(p => p.id), body["points"]!.AsArray().Select(p => p!["id"]!.GetValue<string>()));
        Assert.Equal(points[299].vector, body["points"]![299]!["vector"]!.AsArray().Select(v => v!.GetValue<float>()));
    }

    private async Task<HttpResponseMessage> Send(HttpMethod method, string path, string json) =>
        // Headers only: buffering the body first would let HttpClient compute a length the engine never sent.
        await _http.SendAsync(new HttpRequestMessage(method, path) { Content = new StringContent(json, System.Text.Encoding.UTF8, "application/json") }, HttpCompletionOption.ResponseHeadersRead);

    private static async Task<JsonNode> AssertSizedAsync(HttpResponseMessage response)
    {
        Assert.NotEqual(true, response.Headers.TransferEncodingChunked);
        var length = response.Content.Headers.ContentLength;
        var bytes = await response.Content.ReadAsByteArrayAsync();
        Assert.Equal(bytes.Length, length);
        Assert.Equal("application/json", response.Content.Headers.ContentType?.MediaType);
        return JsonNode.Parse(bytes)!;
    }

    [Fact]
    public async Task DeleteCollection_RemovesItsFiles()
    {
        await _http.CreateCollectionAsync("temp", 2);
        await _http.OkAsync(HttpMethod.Post, "/v1/collections/temp/points", new { points = new[] { new { id = "a", vector = new[] { 1f, 2f } } } });
        var before = Directory.GetDirectories(Path.Combine(_host.DataDirectory, "collections")).Length;
        Assert.Equal(204, (int)(await _http.SendAsync(HttpMethod.Delete, "/v1/collections/temp")).Status);
        Assert.Equal(before - 1, Directory.GetDirectories(Path.Combine(_host.DataDirectory, "collections")).Length);
        ApiCalls.AssertProblem(await _http.SendAsync(HttpMethod.Get, "/v1/collections/temp"), 404);
    }

    private async Task<long> Count(object filter) =>
        (await _http.OkAsync(HttpMethod.Post, "/v1/collections/books/count", new { filter }))["count"]!.GetValue<long>();

    private static IEnumerable<string> Ids(JsonNode response) =>
        response["results"]!.AsArray().Select(r => r!["id"]!.GetValue<string>());
}
