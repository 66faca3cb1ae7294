using System.Net.Http.Headers;
using System.Text;
using System.Text.Json.Nodes;
using Piramid.DataPlane.Tests.Support;

namespace Piramid.DataPlane.Tests;

/// <summary>
/// JSON that System.Text.Json parses but the engine cannot represent, or that the API refuses by rule (docs/API.md,
/// "JSON"): each is a 400 problem naming the field, on every route that takes it, and a refused write stores nothing.
/// </summary>
public sealed class JsonRulesTests : IAsyncLifetime
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

    public static TheoryData<string, string, string, string> Refused => new()
    {
        // Escaped unpaired surrogates, wherever a string goes.
        { "PUT", "/v1/collections/fresh", """{"dimension":3,"schema":{"\ud800":"keyword"}}""", "'schema'" },
        { "PUT", "/v1/collections/fresh", """{"dimension":3,"metric":"cos\udc00"}""", "'metric'" },
        { "POST", "/v1/collections/docs/points", """{"points":[{"id":"\ud800","vector":[1,0,0]}]}""", "'points[0].id'" },
        { "POST", "/v1/collections/docs/points", """{"points":[{"id":"x","vector":[1,0,0],"metadata":{"\ud800":1}}]}""", "'points[0].metadata'" },
        { "POST", "/v1/collections/docs/points", """{"points":[{"id":"x","vector":[1,0,0],"metadata":{"a":["ok","x\udfff"]}}]}""", "'points[0].metadata.a[1]'" },
        { "POST", "/v1/collections/docs/points/get", """{"ids":["seed","a\ud800b"]}""", "'ids[1]'" },
        { "POST", "/v1/collections/docs/points/delete", """{"ids":["\udbff"]}""", "'ids[0]'" },
        { "POST", "/v1/collections/docs/points/delete", """{"filter":{"genre":"\ud800"}}""", "'filter.genre'" },
        { "POST", "/v1/collections/docs/count", """{"filter":{"\ud800":1}}""", "'filter'" },
        { "POST", "/v1/collections/docs/search", """{"vector":[1,0,0],"filter":{"genre":{"$in":["a","\ud800"]}}}""", "'filter.genre.$in[1]'" },
        { "POST", "/v1/collections/docs/recommend", """{"positive":["\ud800"]}""", "'positive[0]'" },
        { "POST", "/v1/collections/docs/recommend", """{"positive":["seed"],"negative":["\udc00"]}""", "'negative[0]'" },
        { "POST", "/v1/collections/docs/search/groups", """{"vector":[1,0,0],"group_by":"\ud800"}""", "'group_by'" },
        { "POST", "/v1/collections/docs/scroll", """{"cursor":"\ud800"}""", "'cursor'" },
        { "PATCH", "/v1/collections/docs/points/seed", """{"metadata":{"genre":"\ud800"}}""", "'metadata.genre'" },

        // Duplicate keys, at any level.
        { "POST", "/v1/collections/docs/points", """{"points":[{"id":"x","vector":[1,0,0]}],"points":[{"id":"y","vector":[1,0,0]}]}""", "'points' appears twice" },
        { "POST", "/v1/collections/docs/points", """{"points":[{"id":"x","id":"y","vector":[1,0,0]}]}""", "'points[0].id'" },
        { "POST", "/v1/collections/docs/count", """{"filter":{"genre":"a","genre":"drama"}}""", "'filter.genre'" },
        { "PUT", "/v1/collections/fresh", """{"dimension":3,"schema":{"a":"keyword","\u0061":"integer"}}""", "'schema.a'" },

        // Numbers beyond a double.
        { "POST", "/v1/collections/docs/search", """{"vector":[1,0,0],"score_threshold":1e400}""", "'score_threshold'" },
        { "POST", "/v1/collections/docs/points", """{"points":[{"id":"x","vector":[1,0,0],"metadata":{"n":-1e999}}]}""", "'points[0].metadata.n'" },
        { "POST", "/v1/collections/docs/count", """{"filter":{"n":{"$gt":1e309}}}""", "'filter.n.$gt'" },

        // NUL and other control characters in keys and ids.
        { "POST", "/v1/collections/docs/points", """{"points":[{"id":"x","vector":[1,0,0],"metadata":{"a\u0000b":1}}]}""", "control character" },
        { "POST", "/v1/collections/docs/points", """{"points":[{"id":"a\u0000","vector":[1,0,0]}]}""", "'points[0].id'" },
        { "POST", "/v1/collections/docs/points/get", """{"ids":["tab\there"]}""", "'ids[0]'" },

        // Metadata keys no filter can address.
        { "POST", "/v1/collections/docs/points", """{"points":[{"id":"x","vector":[1,0,0],"metadata":{"a.b":1}}]}""", "'points[0].metadata': metadata.a.b" },
        { "POST", "/v1/collections/docs/points", """{"points":[{"id":"x","vector":[1,0,0],"metadata":{"$a":1}}]}""", "starts with '$'" },
        { "POST", "/v1/collections/docs/points", """{"points":[{"id":"x","vector":[1,0,0],"metadata":{"a":{"b.c":1}}}]}""", "metadata.a.b.c" },
        { "POST", "/v1/collections/docs/points", """{"points":[{"id":"x","vector":[1,0,0],"metadata":{"a":[{"$b":1}]}}]}""", "metadata.a[0].$b" },
        { "PATCH", "/v1/collections/docs/points/seed", """{"metadata":{"x.y":1}}""", "'.'" },
        { "PUT", "/v1/collections/fresh", """{"dimension":3,"schema":{"a.$b":"keyword"}}""", "schema.a.$b" },
        { "PUT", "/v1/collections/fresh", """{"dimension":3,"schema":{"a\u0001":"keyword"}}""", "control character" },
    };

    [Theory]
    [MemberData(nameof(Refused))]
    public async Task UnrepresentableOrRefusedJson_Is400NamingTheField_AndStoresNothing(string method, string path, string body, string detail)
    {
        var before = await _http.ScrollAllAsync("docs");
        var response = await _http.SendRawAsync(new HttpMethod(method), path, body);
        ApiCalls.AssertProblem(response, 400, detail);
        await AssertUnchangedAsync(before);
    }

    [Fact]
    public async Task NestingBeyond64_Is400NamingTheLimit()
    {
        var deep = new string('[', 70) + new string(']', 70);
        var response = await _http.SendRawAsync(HttpMethod.Post, "/v1/collections/docs/points",
            "{\"points\":[{\"id\":\"x\",\"vector\":[1,0,0],\"metadata\":{\"a\":" + deep + "}}]}");
        ApiCalls.AssertProblem(response, 400, "deeper than 64");
    }

    [Theory]
    [InlineData(new byte[] { 0xFF })]
    [InlineData(new byte[] { 0xC3 })]
    [InlineData(new byte[] { 0xED, 0xA0, 0x80 })]
    [InlineData(new byte[] { 0xF4, 0x90, 0x80, 0x80 })]
    public async Task InvalidUtf8_InAStringOrKey_Is400(byte[] invalid)
    {
        var before = await _http.ScrollAllAsync("docs");
        foreach (var template in new[] { """{"points":[{"id":"x@","vector":[1,0,0]}]}""", """{"points":[{"id":"x","vector":[1,0,0],"metadata":{"k@":1}}]}""" })
        {
            var at = template.IndexOf('@', StringComparison.Ordinal);
            byte[] body = [.. Encoding.UTF8.GetBytes(template[..at]), .. invalid, .. Encoding.UTF8.GetBytes(template[(at + 1)..])];
            using var content = new ByteArrayContent(body);
            content.Headers.ContentType = new MediaTypeHeaderValue("application/json");
            using var response = await _http.PostAsync(new Uri("/v1/collections/docs/points", UriKind.Relative), content);
            Assert.Equal(400, (int)response.StatusCode);
            Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
            var problem = JsonNode.Parse(await response.Content.ReadAsStringAsync())!;
            Assert.Contains("points[0]", problem["detail"]!.GetValue<string>(), StringComparison.Ordinal);
        }

        await AssertUnchangedAsync(before);
    }

    [Fact]
    public async Task ValidUnicode_SurrogatePairsAndEscapes_AreAccepted()
    {
        await _http.OkAsync(HttpMethod.Post, "/v1/collections/docs/points", new
        {
            points = new[] { new { id = "emoji-😀", vector = new[] { 0f, 1f, 0f }, metadata = new Dictionary<string, object> { ["ключ"] = "\ud83d\ude00 a\u00e9", ["n"] = 1e308 } } },
        });
        var point = await _http.OkAsync(HttpMethod.Get, $"/v1/collections/docs/points/{Uri.EscapeDataString("emoji-😀")}");
        Assert.Equal("\ud83d\ude00 a\u00e9", point["metadata"]!["ключ"]!.GetValue<string>());
        var count = await _http.OkAsync(HttpMethod.Post, "/v1/collections/docs/count", new { filter = new Dictionary<string, object> { ["ключ"] = "😀 aé" } });
        Assert.Equal(1, count["count"]!.GetValue<long>());
    }

    private async Task AssertUnchangedAsync(Dictionary<string, JsonNode> before)
    {
        var after = await _http.ScrollAllAsync("docs");
        Assert.Equal(before.Keys.Order(StringComparer.Ordinal), after.Keys.Order(StringComparer.Ordinal));
        foreach (var (id, point) in before)
        {
            Assert.Equal(point.ToJsonString(), after[id].ToJsonString());
        }

        ApiCalls.AssertProblem(await _http.SendAsync(HttpMethod.Get, "/v1/collections/fresh"), 404);
    }
}
