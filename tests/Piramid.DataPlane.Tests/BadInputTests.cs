using System.Text;
using Piramid.DataPlane.Tests.Support;

namespace Piramid.DataPlane.Tests;

/// <summary>Every kind of bad input is a 400 problem with a clear detail, persists nothing, and is never a 5xx.</summary>
public sealed class BadInputTests : IAsyncLifetime
{
    private EngineTestHost _host = null!;
    private HttpClient _http = null!;

    public async Task InitializeAsync()
    {
        _host = new EngineTestHost();
        var engine = await _host.StartAsync();
        _http = engine.CreateClient();
        await _http.CreateCollectionAsync("docs", 3);
        await _http.OkAsync(HttpMethod.Post, "/v1/collections/docs/points",
            new { points = new[] { new { id = "seed", vector = new[] { 1f, 0f, 0f }, metadata = new { genre = "drama" } } } });
    }

    public async Task DisposeAsync()
    {
        _http.Dispose();
        await _host.DisposeAsync();
    }

    public static TheoryData<string, string, string> BadUpserts => new()
    {
        { "NaN literal", """{"points":[{"id":"x","vector":[NaN,0,0]}]}""", "not valid JSON" },
        { "Infinity literal", """{"points":[{"id":"x","vector":[Infinity,0,0]}]}""", "not valid JSON" },
        { "float overflow", """{"points":[{"id":"x","vector":[1e39,0,0]}]}""", "points[0].vector" },
        { "NaN as string", """{"points":[{"id":"x","vector":["NaN",0,0]}]}""", "points[0].vector" },
        { "wrong dimension", """{"points":[{"id":"x","vector":[1,2]}]}""", "dimension is 3" },
        { "missing vector", """{"points":[{"id":"x"}]}""", "points[0].vector" },
        { "missing id", """{"points":[{"vector":[1,2,3]}]}""", "points[0].id" },
        { "long id", "{\"points\":[{\"id\":\"" + new string('x', 65) + "\",\"vector\":[1,2,3]}]}", "64 bytes" },
        { "duplicate id", """{"points":[{"id":"x","vector":[1,2,3]},{"id":"x","vector":[1,2,3]}]}""", "more than once" },
        { "metadata not an object", """{"points":[{"id":"x","vector":[1,2,3],"metadata":[1]}]}""", "points[0].metadata" },
        { "oversized metadata", "{\"points\":[{\"id\":\"x\",\"vector\":[1,2,3],\"metadata\":{\"big\":\"" + new string('a', 41 * 1024) + "\"}}]}", "points[0].metadata" },
        { "17-deep metadata", "{\"points\":[{\"id\":\"x\",\"vector\":[1,2,3],\"metadata\":" + Nested(17) + "}]}", "points[0].metadata" },
        { "unknown field", """{"points":[{"id":"x","vector":[1,2,3],"metdata":{}}]}""", "Unknown field" },
        { "empty batch", """{"points":[]}""", "at least one point" },
        { "not JSON", "points=1", "not valid JSON" },
        { "truncated JSON", """{"points":[{"id":"x","vector":[1,2""", "not valid JSON" },
    };

    [Theory]
    [MemberData(nameof(BadUpserts))]
    public async Task Upsert_BadInput_Is400WithDetailAndPersistsNothing(string name, string body, string detail)
    {
        var response = await _http.SendRawAsync(HttpMethod.Post, "/v1/collections/docs/points", body);
        ApiCalls.AssertProblem(response, 400, detail);
        var count = await _http.OkAsync(HttpMethod.Post, "/v1/collections/docs/count", new { });
        Assert.True(count["count"]!.GetValue<long>() == 1, $"{name}: something was persisted");
    }

    [Fact]
    public async Task Upsert_TooManyPoints_Is400()
    {
        var points = Enumerable.Range(0, 1001).Select(i => new { id = $"p{i}", vector = new[] { 1f, 2f, 3f } }).ToArray();
        ApiCalls.AssertProblem(await _http.SendAsync(HttpMethod.Post, "/v1/collections/docs/points", new { points }), 400, "at most 1000");
    }

    [Fact]
    public async Task Upsert_BodyOver16MB_Is413()
    {
        var body = new StringBuilder("{\"points\":[{\"id\":\"x\",\"vector\":[1,2,3],\"metadata\":{\"pad\":\"");
        body.Append('a', 17 * 1024 * 1024).Append("\"}}]}");
        // With Expect: 100-continue the engine refuses on the declared length, before any byte of the body is sent.
        using var request = new HttpRequestMessage(HttpMethod.Post, "/v1/collections/docs/points")
        {
            Content = new StringContent(body.ToString(), Encoding.UTF8, "application/json"),
        };
        request.Headers.ExpectContinue = true;
        using var response = await _http.SendAsync(request);
        Assert.Equal(413, (int)response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        Assert.Contains("payload-too-large", await response.Content.ReadAsStringAsync(), StringComparison.Ordinal);
    }


    [Theory]
    [InlineData("UPPER")]
    [InlineData("-dash-first")]
    [InlineData("has space")]
    [InlineData("a234567890123456789012345678901234567890123456789012345678901234")]
    [InlineData("docs\n")] // A .NET '$' matches before a final line break: the whole name must match.
    public async Task CreateCollection_BadName_Is400(string name)
    {
        var response = await _http.SendAsync(HttpMethod.Put, $"/v1/collections/{Uri.EscapeDataString(name)}", new { dimension = 3 });
        ApiCalls.AssertProblem(response, 400, "Collection name");
    }

    [Theory]
    [InlineData("""{"dimension":0}""", "dimension")]
    [InlineData("""{"dimension":20001}""", "dimension")]
    [InlineData("""{}""", "dimension")]
    [InlineData("""{"dimension":3,"metric":"manhattan"}""", "metric")]
    [InlineData("""{"dimension":3,"index":{"type":"ivf"}}""", "index.type")]
    [InlineData("""{"dimension":3,"quantization":"pq"}""", "quantization")]
    [InlineData("""{"dimension":3,"schema":{"year":"date"}}""", "schema")]
    [InlineData("""{"dimension":3,"auto_index":"yes"}""", "auto_index")]
    public async Task CreateCollection_BadSettings_Is400(string body, string detail)
    {
        ApiCalls.AssertProblem(await _http.SendRawAsync(HttpMethod.Put, "/v1/collections/fresh", body), 400, detail);
        ApiCalls.AssertProblem(await _http.SendAsync(HttpMethod.Get, "/v1/collections/fresh"), 404);
    }

    [Theory]
    [InlineData("""{"vector":[1,0,0],"top_k":10001}""", "top_k")]
    [InlineData("""{"vector":[1,0,0],"top_k":0}""", "top_k")]
    [InlineData("""{"vector":[1,0]}""", "dimension")]
    [InlineData("""{"top_k":3}""", "vector")]
    [InlineData("""{"vector":[1,0,0],"filter":{"year":{"$gtx":3}}}""", "$gtx")]
    [InlineData("""{"vector":[1,0,0],"filter":{"$and":{}}}""", "$and")]
    [InlineData("""{"vector":[1,0,0],"filter":{"tags":{"$in":"a"}}}""", "$in")]
    [InlineData("""{"vector":[1,0,0],"filter":[1]}""", "filter")]
    [InlineData("""{"vector":[1,0,0],"ef":0}""", "ef")]
    public async Task Search_BadInput_Is400(string body, string detail)
    {
        ApiCalls.AssertProblem(await _http.SendRawAsync(HttpMethod.Post, "/v1/collections/docs/search", body), 400, detail);
    }

    [Fact]
    public async Task Filter_TooDeep_Is400()
    {
        var filter = "{\"a\":1}";
        for (var i = 0; i < 17; i++)
        {
            filter = "{\"$not\":" + filter + "}";
        }

        ApiCalls.AssertProblem(await _http.SendRawAsync(HttpMethod.Post, "/v1/collections/docs/count", "{\"filter\":" + filter + "}"), 400, "depth");
    }

    [Fact]
    public async Task Scroll_ForgedCursor_Is400()
    {
        ApiCalls.AssertProblem(await _http.SendRawAsync(HttpMethod.Post, "/v1/collections/docs/scroll", """{"cursor":"%%%"}"""), 400, "cursor");
    }

    [Fact]
    public async Task WrongContentType_Is415()
    {
        using var content = new StringContent("{}", Encoding.UTF8, "text/plain");
        using var response = await _http.PostAsync(new Uri("/v1/collections/docs/count", UriKind.Relative), content);
        Assert.Equal(415, (int)response.StatusCode);
    }

    [Fact]
    public async Task UnknownCollectionAndPoint_Are404Problems()
    {
        ApiCalls.AssertProblem(await _http.SendAsync(HttpMethod.Post, "/v1/collections/nope/search", new { vector = new[] { 1, 0, 0 } }), 404, "nope");
        ApiCalls.AssertProblem(await _http.SendAsync(HttpMethod.Get, "/v1/collections/docs/points/ghost"), 404, "ghost");
        ApiCalls.AssertProblem(await _http.SendAsync(HttpMethod.Get, "/v1/no/such/route"), 404);
    }

    private static string Nested(int depth)
    {
        var json = "1";
        for (var i = 0; i < depth; i++)
        {
            json = "{\"k\":" + json + "}";
        }

        return json;
    }
}
