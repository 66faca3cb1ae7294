using System.Globalization;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Piramid.DataPlane.Tests.Support;

namespace Piramid.DataPlane.Tests;

/// <summary>
/// Fuzz test of every JSON route of a real engine process: valid seed bodies mutated (bit flips, truncation, type
/// swaps, huge numbers, unpaired surrogates, deep nesting, duplicate and unknown keys, control characters) with a
/// fixed seed and a bounded count. Never a 5xx; every 4xx is a problem+json with a detail; a refused write changes
/// nothing (the collections' points, vectors and metadata are compared before and after).
/// </summary>
public sealed class JsonFuzzTests : IAsyncLifetime
{
    private const int Seed = 20_261_205;
    private const int MutationsPerRoute = 40;
    private const string Raw = "@@raw@@";
    private const string RawKey = "@@key@@";
    private const string Collection = "fz";

    private static readonly string[] RawValues =
    [
        "1e400", "-1e400", "1e39", "-3.5e38", "99999999999999999999999999", "-0", "1e-400", "2147483648", "-2147483649",
        "\"\\ud800\"", "\"a\\udfffb\"", "\"\\u0000\"", "\"x\\u0001\"", "\"\"", "[]", "{}", "null", "true", "\"ok\"",
        "{\"$and\":[]}", "{\"a.b\":1}", "{\"$x\":1}", "{\"\\ud800\":1}", "{\"k\":1,\"k\":2}", "[1e400]", "[\"\\udc00\"]",
        new string('[', 80) + new string(']', 80), string.Concat(Enumerable.Repeat("{\"a\":", 80)) + "1" + new string('}', 80),
    ];

    private EngineTestHost _host = null!;
    private HttpClient _http = null!;

    public async Task InitializeAsync()
    {
        _host = new EngineTestHost();
        var engine = await _host.StartAsync();
        _http = engine.CreateClient();
        await _http.OkAsync(HttpMethod.Put, $"/v1/collections/{Collection}", new
        {
            dimension = 4,
            metric = "cosine",
            index = new { type = "hnsw", m = 8, ef_construction = 32 },
            schema = new { genre = "keyword", year = "integer" },
        });
        await ReseedAsync();
    }

    public async Task DisposeAsync()
    {
        _http.Dispose();
        await _host.DisposeAsync();
    }

    /// <summary>Valid bodies, one or more per route.</summary>
    public static TheoryData<string, string, string> Routes => new()
    {
        { "PUT", "/v1/collections/fz-new", """{"dimension":4,"metric":"dot","index":{"type":"hnsw","m":8,"ef_construction":40,"ef":20},"quantization":"int8","schema":{"genre":"keyword","a.b":"float"}}""" },
        { "POST", $"/v1/collections/{Collection}/points", """{"points":[{"id":"n1","vector":[0.1,0.2,0.3,0.4],"metadata":{"genre":"drama","year":1999,"tags":["a","b"],"nested":{"x":1.5}}},{"id":"n2","vector":[1,0,0,0]}]}""" },
        { "POST", $"/v1/collections/{Collection}/points/get", """{"ids":["p1","p2","nope"],"include_vector":true,"include_metadata":false}""" },
        { "PATCH", $"/v1/collections/{Collection}/points/p1", """{"metadata":{"genre":"comedy","year":null,"extra":{"deep":[1,2]}},"vector":[0,1,0,0]}""" },
        { "POST", $"/v1/collections/{Collection}/points/delete", """{"ids":["p7","nope"]}""" },
        { "POST", $"/v1/collections/{Collection}/points/delete", """{"filter":{"year":{"$gte":2030}}}""" },
        { "POST", $"/v1/collections/{Collection}/search", """{"vector":[1,0.5,0,0],"top_k":5,"filter":{"$or":[{"genre":"drama"},{"year":{"$gt":2000,"$lt":2010}}]},"ef":32,"score_threshold":-1,"include_vector":true}""" },
        { "POST", $"/v1/collections/{Collection}/search/batch", """{"searches":[{"vector":[1,0,0,0],"top_k":3},{"vector":[0,1,0,0],"filter":{"genre":{"$in":["drama","horror"]}}}]}""" },
        { "POST", $"/v1/collections/{Collection}/search/groups", """{"vector":[1,0,0,0],"group_by":"genre","group_size":2,"limit":3,"filter":{"$not":{"year":{"$exists":false}}}}""" },
        { "POST", $"/v1/collections/{Collection}/recommend", """{"positive":["p1",[0,0,1,0]],"negative":["p2"],"top_k":3,"filter":{"tags":{"$nin":["z"]}}}""" },
        { "POST", $"/v1/collections/{Collection}/scroll", """{"filter":{"genre":{"$ne":"x"}},"limit":3,"include_vector":true}""" },
        { "POST", $"/v1/collections/{Collection}/count", """{"filter":{"year":{"$lte":2005}}}""" },
    };

    [Theory]
    [MemberData(nameof(Routes))]
    public async Task MutatedBodies_NeverFail_AndRefusedWritesChangeNothing(string method, string path, string seedBody)
    {
        // The seed itself is accepted, so the mutations start from a body that reaches the engine's logic.
        var seedAnswer = await SendAsync(method, path, Encoding.UTF8.GetBytes(seedBody));
        Assert.True(seedAnswer.Status < 300, $"seed {method} {path} -> {seedAnswer.Status}: {seedAnswer.Text}");
        await UndoAsync(method, path);

        var random = new Random(Seed ^ StableHash(method + path + seedBody));
        var refused = 0;
        for (var i = 0; i < MutationsPerRoute; i++)
        {
            var (kind, body) = Mutate(seedBody, random);
            var before = IsWrite(method, path) ? await SnapshotAsync() : null;
            var answer = await SendAsync(method, path, body);
            var shown = $"{kind} #{i}: {method} {path} {Show(body)} -> {answer.Status}: {answer.Text}";
            Assert.True(answer.Status < 500, shown);
            if (answer.Status >= 400)
            {
                refused++;
                AssertProblem(answer, shown);
                if (before is not null)
                {
                    Assert.True(before == await SnapshotAsync(), "a refused write changed the data: " + shown);
                }
            }
            else
            {
                Assert.True(answer.ContentType is null or "application/json", shown);
                await UndoAsync(method, path);
            }
        }

        // The mutations must mostly reach the refusal paths, or the test proves little.
        Assert.True(refused >= MutationsPerRoute / 5, $"only {refused} of {MutationsPerRoute} mutations were refused");
    }

    // An encoded NUL (%00) never reaches the engine's code: Kestrel refuses the request line itself.
    [Theory]
    [InlineData("%ED%A0%80")]
    [InlineData("%FF")]
    [InlineData("%F0%9F%98%80")]
    [InlineData("%20")]
    public async Task PointIdInThePath_NeverFails(string id)
    {
        var answer = await SendAsync("GET", $"/v1/collections/{Collection}/points/{id}", null);
        Assert.True(answer.Status is 400 or 404, $"{id} -> {answer.Status}: {answer.Text}");
        AssertProblem(answer, id);
        var before = await SnapshotAsync();
        var patched = await SendAsync("PATCH", $"/v1/collections/{Collection}/points/{id}", Encoding.UTF8.GetBytes("""{"metadata":{"a":1}}"""));
        Assert.True(patched.Status is 400 or 404, $"{id} -> {patched.Status}: {patched.Text}");
        AssertProblem(patched, id);
        Assert.Equal(before, await SnapshotAsync());
    }

    private static (string Kind, byte[] Body) Mutate(string seed, Random random)
    {
        var bytes = Encoding.UTF8.GetBytes(seed);
        switch (random.Next(10))
        {
            case 0:
                for (var flips = random.Next(1, 4); flips > 0; flips--)
                {
                    bytes[random.Next(bytes.Length)] ^= (byte)(1 << random.Next(8));
                }

                return ("bit flip", bytes);
            case 1:
                return ("truncation", bytes[..random.Next(bytes.Length)]);
            case 2:
                return ("garbage", [.. Enumerable.Range(0, random.Next(1, 64)).Select(_ => (byte)random.Next(256))]);
            case 3:
                return ("duplicate key", Encoding.UTF8.GetBytes(DuplicateKey(seed, random)));
            default:
                return ("replace value", Encoding.UTF8.GetBytes(ReplaceValue(seed, random)));
        }
    }

    // Replaces one node (any depth, the root included) by a raw JSON text: a type swap, a huge number, a surrogate, deep nesting...
    private static string ReplaceValue(string seed, Random random)
    {
        var root = JsonNode.Parse(seed)!;
        var nodes = new List<JsonNode> { root };
        Collect(root, nodes);
        var target = nodes[random.Next(nodes.Count)];
        var raw = RawValues[random.Next(RawValues.Length)];
        if (random.Next(4) == 0 && target is JsonObject extend)
        {
            // A new key: unknown at the top, a metadata or filter field deeper down; sometimes an unaddressable one.
            string[] keys = ["top_kk", "x", "a.b", "$where", "\\u0000k", "\\ud800", "\\u0061"];
            extend[RawKey] = Raw;
            return root.ToJsonString()
                .Replace($"\"{RawKey}\"", $"\"{keys[random.Next(keys.Length)]}\"", StringComparison.Ordinal)
                .Replace($"\"{Raw}\"", raw, StringComparison.Ordinal);
        }

        if (target.Parent is null)
        {
            return raw;
        }

        target.ReplaceWith(JsonValue.Create(Raw));
        return root.ToJsonString().Replace($"\"{Raw}\"", raw, StringComparison.Ordinal);
    }

    private static void Collect(JsonNode node, List<JsonNode> nodes)
    {
        IEnumerable<JsonNode?> children = node switch
        {
            JsonObject o => o.Select(p => p.Value),
            JsonArray a => a,
            _ => [],
        };
        foreach (var child in children)
        {
            if (child is not null)
            {
                nodes.Add(child);
                Collect(child, nodes);
            }
        }
    }

    // Repeats the first member of a random object ({"a":1,...} -> {"a":1,"a":1,...}).
    private static string DuplicateKey(string seed, Random random)
    {
        var starts = Enumerable.Range(0, seed.Length).Where(i => seed[i] == '{' && i + 1 < seed.Length && seed[i + 1] == '"').ToList();
        var start = starts[random.Next(starts.Count)];
        var end = seed.IndexOfAny([',', '}'], start + 1);
        var member = seed[(start + 1)..end];
        return seed[..(start + 1)] + member + "," + seed[(start + 1)..];
    }

    private static void AssertProblem(Answer answer, string shown)
    {
        Assert.True(answer.ContentType == "application/problem+json", "not problem+json: " + shown);
        using var problem = JsonDocument.Parse(answer.Text);
        Assert.StartsWith("https://piramid.dev/problems/", problem.RootElement.GetProperty("type").GetString(), StringComparison.Ordinal);
        Assert.Equal(answer.Status, problem.RootElement.GetProperty("status").GetInt32());
        Assert.False(string.IsNullOrWhiteSpace(problem.RootElement.GetProperty("detail").GetString()), "no detail: " + shown);
    }

    // After an accepted mutation: keep the data comparable (drop what a create made, restore deleted seed points).
    private async Task UndoAsync(string method, string path)
    {
        if (method == "PUT")
        {
            await SendAsync("DELETE", path, null);
        }
        else if (IsWrite(method, path))
        {
            await ReseedAsync();
        }
    }

    private async Task ReseedAsync()
    {
        var all = await _http.ScrollAllAsync(Collection);
        var extra = all.Keys.Where(id => !id.StartsWith('p') || id.Length > 2).ToArray();
        if (extra.Length > 0)
        {
            await _http.OkAsync(HttpMethod.Post, $"/v1/collections/{Collection}/points/delete", new { ids = extra });
        }

        string[] genres = ["drama", "comedy", "horror"];
        var points = Enumerable.Range(1, 8).Select(i => new
        {
            id = $"p{i}",
            vector = new[] { i % 2, i % 3, i % 5, 1f },
            metadata = new { genre = genres[i % 3], year = 1995 + (i * 3), tags = new[] { "a", i % 2 == 0 ? "even" : "odd" } },
        }).ToArray();
        await _http.OkAsync(HttpMethod.Post, $"/v1/collections/{Collection}/points", new { points });
    }

    // Every point of the collection (vectors, metadata) and the collections that exist, as one comparable string.
    private async Task<string> SnapshotAsync()
    {
        var points = await _http.ScrollAllAsync(Collection);
        var collections = (await _http.OkAsync(HttpMethod.Get, "/v1/collections"))["collections"]!.AsArray()
            .Select(c => c!["name"]!.GetValue<string>() + ":" + c["count"]!.GetValue<long>().ToString(CultureInfo.InvariantCulture));
        return string.Join('\n', points.OrderBy(p => p.Key, StringComparer.Ordinal).Select(p => p.Value.ToJsonString()))
            + "\n" + string.Join(',', collections.Order(StringComparer.Ordinal));
    }

    private async Task<Answer> SendAsync(string method, string path, byte[]? body)
    {
        using var request = new HttpRequestMessage(new HttpMethod(method), path);
        if (body is not null)
        {
            request.Content = new ByteArrayContent(body);
            request.Content.Headers.ContentType = new MediaTypeHeaderValue("application/json");
        }

        using var response = await _http.SendAsync(request);
        return new Answer((int)response.StatusCode, await response.Content.ReadAsStringAsync(), response.Content.Headers.ContentType?.MediaType);
    }

    private static bool IsWrite(string method, string path) =>
        method is "PUT" or "PATCH" or "DELETE" || path.EndsWith("/points", StringComparison.Ordinal) || path.EndsWith("/points/delete", StringComparison.Ordinal);

    private static string Show(byte[] body) => body.Length <= 300 ? Encoding.UTF8.GetString(body) : Encoding.UTF8.GetString(body[..300]) + "...";

    private static int StableHash(string text)
    {
        var hash = 17;
        foreach (var c in text)
        {
            hash = unchecked((hash * 31) + c);
        }

        return hash;
    }

    private sealed record Answer(int Status, string Text, string? ContentType);
}
