using System.Text.Json.Nodes;
using Piramid.DataPlane.Tests.Support;

namespace Piramid.DataPlane.Tests;

/// <summary>
/// Batch, recommend, grouped and range search on small hand-checked cases, against a real engine process,
/// once per index type (the subclasses at the end of the file).
/// </summary>
public abstract class SearchMethodsTests : IAsyncLifetime
{
    private EngineTestHost _host = null!;
    private HttpClient _http = null!;

    public async Task InitializeAsync()
    {
        _host = new EngineTestHost();
        var engine = await _host.StartAsync();
        _http = engine.CreateClient();

        // A line of points on the x axis: x = 0..9, euclidean, so distances are easy to check by hand.
        await _http.OkAsync(HttpMethod.Put, "/v1/collections/line", new { dimension = 2, metric = "euclidean", index = Index });
        var points = Enumerable.Range(0, 10).Select(i => new
        {
            id = $"p{i}",
            vector = new[] { (float)i, 0f },
            metadata = new { parity = i % 2 == 0 ? "even" : "odd", decade = new { tens = i / 5 }, flag = i < 3 },
        });
        await _http.OkAsync(HttpMethod.Post, "/v1/collections/line/points", new { points });
    }

    /// <summary>The collection's index settings.</summary>
    protected abstract object Index { get; }

    public async Task DisposeAsync()
    {
        _http.Dispose();
        await _host.DisposeAsync();
    }

    [Fact]
    public async Task Batch_AnswersEachSearchInOrder()
    {
        var answer = await _http.OkAsync(HttpMethod.Post, "/v1/collections/line/search/batch", new
        {
            searches = new object[]
            {
                new { vector = new[] { 0f, 0f }, top_k = 2 },
                new { vector = new[] { 9f, 0f }, top_k = 1 },
                new { vector = new[] { 4.2f, 0f }, top_k = 3, filter = new { parity = "odd" } },
            },
        });
        var batches = answer["batches"]!.AsArray();
        Assert.Equal(["p0", "p1"], Ids(batches[0]!));
        Assert.Equal(["p9"], Ids(batches[1]!));
        Assert.Equal(["p5", "p3", "p7"], Ids(batches[2]!));
        Assert.Equal(-1f, batches[0]!["results"]![1]!["score"]!.GetValue<float>(), 3);
    }

    [Fact]
    public async Task Recommend_MovesTowardPositivesAndAwayFromNegatives_AndLeavesExamplesOut()
    {
        // mean(p4, p6) = (5, 0): nearest others are p5, then p3/p7.
        var near = await _http.OkAsync(HttpMethod.Post, "/v1/collections/line/recommend", new { positive = new[] { "p4", "p6" }, top_k = 3 });
        Assert.Equal("p5", Ids(near)[0]);
        Assert.DoesNotContain("p4", Ids(near));
        Assert.DoesNotContain("p6", Ids(near));

        // 2 * p6 - p2 = (10, 0): p9 first, then p8, p7 (p6 is an example).
        var away = await _http.OkAsync(HttpMethod.Post, "/v1/collections/line/recommend", new { positive = new[] { "p6" }, negative = new[] { "p2" }, top_k = 3 });
        Assert.Equal(["p9", "p8", "p7"], Ids(away));

        // A vector example works too, and filters apply.
        var vector = await _http.OkAsync(HttpMethod.Post, "/v1/collections/line/recommend", new { positive = new object[] { new[] { 0.9f, 0f } }, top_k = 2, filter = new { parity = "even" } });
        Assert.Equal(["p0", "p2"], Ids(vector));
    }

    [Fact]
    public async Task Groups_ReturnTheBestPointsPerValue_BestGroupFirst()
    {
        var answer = await _http.OkAsync(HttpMethod.Post, "/v1/collections/line/search/groups", new { vector = new[] { 0f, 0f }, group_by = "parity", group_size = 2, limit = 2 });
        var groups = answer["groups"]!.AsArray();
        Assert.Equal(["even", "odd"], groups.Select(g => g!["value"]!.GetValue<string>()));
        Assert.Equal(["p0", "p2"], Ids(groups[0]!));
        Assert.Equal(["p1", "p3"], Ids(groups[1]!));

        var nested = await _http.OkAsync(HttpMethod.Post, "/v1/collections/line/search/groups", new { vector = new[] { 9f, 0f }, group_by = "decade.tens", group_size = 1, limit = 5, include_metadata = false });
        Assert.Equal([1, 0], nested["groups"]!.AsArray().Select(g => g!["value"]!.GetValue<int>()));
        Assert.Null(nested["groups"]![0]!["results"]![0]!["metadata"]);

        var booleans = await _http.OkAsync(HttpMethod.Post, "/v1/collections/line/search/groups", new { vector = new[] { 0f, 0f }, group_by = "flag", group_size = 10 });
        Assert.Equal(3, booleans["groups"]![0]!["results"]!.AsArray().Count);
        Assert.Equal(7, booleans["groups"]![1]!["results"]!.AsArray().Count);

        var missing = await _http.OkAsync(HttpMethod.Post, "/v1/collections/line/search/groups", new { vector = new[] { 0f, 0f }, group_by = "nope" });
        Assert.Empty(missing["groups"]!.AsArray());
    }

    [Theory]
    [InlineData("euclidean", 2.5f, new[] { "p0", "p1", "p2" })]
    [InlineData("dot", 6f, new[] { "p9", "p8", "p7", "p6" })]
    [InlineData("cosine", 0.99f, new[] { "q0", "q1" })]
    public async Task RangeSearch_KeepsExactlyTheResultsAtOrAboveTheThreshold(string metric, float threshold, string[] expected)
    {
        var name = "range-" + metric;
        await _http.CreateCollectionAsync(name, 2, metric);
        var points = metric == "cosine"
            ? new[] { ("q0", new[] { 1f, 0f }), ("q1", new[] { 1f, 0.1f }), ("q2", new[] { 1f, 1f }), ("q3", new[] { 0f, 1f }) }
            : Enumerable.Range(0, 10).Select(i => ($"p{i}", new[] { (float)i, 0f })).ToArray();
        await _http.OkAsync(HttpMethod.Post, $"/v1/collections/{name}/points", new { points = points.Select(p => new { id = p.Item1, vector = p.Item2 }) });

        // Euclidean scores are -distance: threshold -2.5 keeps points within 2.5 of the origin.
        var query = metric == "dot" ? new[] { 1f, 0f } : new[] { 0.0001f, 0f };
        var answer = await _http.OkAsync(HttpMethod.Post, $"/v1/collections/{name}/search", new { vector = metric == "cosine" ? new[] { 1f, 0f } : query, top_k = 10, score_threshold = metric == "euclidean" ? -threshold : threshold });
        Assert.Equal(expected, Ids(answer));
    }

    [Fact]
    public async Task BadInput_Is400Or404_NamingTheField()
    {
        var cases = new (string Path, object Body, int Status, string Mentions)[]
        {
            ("search/batch", new { searches = Array.Empty<object>() }, 400, "searches"),
            ("search/batch", new { searches = Enumerable.Range(0, 101).Select(_ => new { vector = new[] { 0f, 0f } }) }, 400, "searches"),
            ("search/batch", new { searches = new object[] { new { vector = new[] { 0f, 0f } }, new { vector = new[] { 0f } } } }, 400, "searches[1]"),
            ("search/batch", new { searches = new object[] { new { vector = new[] { 0f, 0f }, top_k = 0 } } }, 400, "top_k"),
            ("recommend", new { positive = Array.Empty<string>() }, 400, "positive"),
            ("recommend", new { positive = new[] { "ghost" } }, 404, "ghost"),
            ("recommend", new { positive = new object[] { new[] { 1f } } }, 400, "positive[0]"),
            ("recommend", new { positive = new object[] { 42 } }, 400, "positive[0]"),
            ("recommend", new { positive = new[] { "p1" }, negative = new object[] { new { x = 1 } } }, 400, "negative[0]"),
            ("recommend", new { positive = new[] { "p1" }, top_k = 0 }, 400, "top_k"),
            ("recommend", new { positive = new[] { "p1" }, filter = new JsonObject { ["x"] = new JsonObject { ["$bogus"] = 1 } } }, 400, "$bogus"),
            ("search/groups", new { vector = new[] { 0f, 0f } }, 400, "group_by"),
            ("search/groups", new { vector = new[] { 0f, 0f }, group_by = "a..b" }, 400, "group_by"),
            ("search/groups", new { vector = new[] { 0f, 0f }, group_by = "parity", group_size = 0 }, 400, "group_size"),
            ("search/groups", new { vector = new[] { 0f, 0f }, group_by = "parity", limit = 101 }, 400, "limit"),
            ("search/groups", new { vector = new[] { 0f, 0f, 0f }, group_by = "parity" }, 400, "vector"),
        };
        foreach (var (path, body, status, mentions) in cases)
        {
            ApiCalls.AssertProblem(await _http.SendAsync(HttpMethod.Post, $"/v1/collections/line/{path}", body), status, mentions);
        }

        ApiCalls.AssertProblem(await _http.SendAsync(HttpMethod.Post, "/v1/collections/nothing/recommend", new { positive = new[] { "p1" } }), 404, "nothing");
    }

    private static List<string> Ids(JsonNode answer) => [.. answer["results"]!.AsArray().Select(r => r!["id"]!.GetValue<string>())];
}

/// <summary>The methods on exact search.</summary>
public sealed class FlatSearchMethodsTests : SearchMethodsTests
{
    protected override object Index => new { type = "flat" };
}

/// <summary>
/// The methods on the graph index. A default ef of 2 makes even this 10-point collection larger than ef, so
/// searches walk the graph instead of being scanned.
/// </summary>
public sealed class HnswSearchMethodsTests : SearchMethodsTests
{
    protected override object Index => new { type = "hnsw", m = 4, ef_construction = 16, ef = 2 };
}
