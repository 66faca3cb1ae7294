using System.Text.Json.Nodes;
using Piramid.DataPlane.Tests.Support;

namespace Piramid.DataPlane.Tests;

/// <summary>
/// Search by a stored point's id and deep result pages (<c>offset</c>), against a real engine process: an id search
/// is the vector search with that point's vector minus the point; pages concatenate to one deeper search.
/// </summary>
public sealed class SearchByIdTests : IAsyncLifetime
{
    private const int Points = 300;
    private const int Dimension = 8;

    private EngineTestHost _host = null!;
    private HttpClient _http = null!;

    public async Task InitializeAsync()
    {
        _host = new EngineTestHost();
        var engine = await _host.StartAsync();
        _http = engine.CreateClient();
        var random = new Random(2424);
        var points = Enumerable.Range(0, Points).Select(i => new
        {
            id = $"p{i}",
            vector = Enumerable.Range(0, Dimension).Select(_ => (float)((random.NextDouble() * 2) - 1)).ToArray(),
            metadata = new { even = i % 2 == 0 },
        }).ToArray();
        foreach (var (name, metric, index) in new (string, string, object)[]
        {
            ("flat-euclidean", "euclidean", new { type = "flat" }),
            ("flat-cosine", "cosine", new { type = "flat" }),
            ("hnsw", "euclidean", new { type = "hnsw", m = 16, ef_construction = 100, ef = 16 }),
        })
        {
            await _http.OkAsync(HttpMethod.Put, $"/v1/collections/{name}", new { dimension = Dimension, metric, index });
            await _http.OkAsync(HttpMethod.Post, $"/v1/collections/{name}/points", new { points });
        }
    }

    public async Task DisposeAsync()
    {
        _http.Dispose();
        await _host.DisposeAsync();
    }

    [Theory]
    [InlineData("flat-euclidean")]
    [InlineData("flat-cosine")]
    public async Task SearchById_EqualsVectorSearchWithItsVector_WithoutThePoint(string collection)
    {
        foreach (var id in new[] { "p0", "p17", "p150", "p299" })
        {
            foreach (var filter in new JsonNode?[] { null, new JsonObject { ["even"] = true } })
            {
                var stored = await _http.OkAsync(HttpMethod.Get, $"/v1/collections/{collection}/points/{id}?include_vector=true");
                var vector = stored["vector"]!.AsArray().Select(v => v!.GetValue<float>()).ToArray();
                var byVector = await _http.OkAsync(HttpMethod.Post, $"/v1/collections/{collection}/search", new { vector, top_k = 11, filter });
                var expected = Results(byVector).Where(r => r.Id != id).Take(10).ToList();

                var byId = await _http.OkAsync(HttpMethod.Post, $"/v1/collections/{collection}/search", new { id, top_k = 10, filter });
                Assert.Equal(expected, Results(byId));
                Assert.DoesNotContain(id, Results(byId).Select(r => r.Id));

                var batch = await _http.OkAsync(HttpMethod.Post, $"/v1/collections/{collection}/search/batch", new
                {
                    searches = new object[] { new { id, top_k = 10, filter }, new { vector, top_k = 11, filter } },
                });
                Assert.Equal(expected, Results(batch["batches"]![0]!));
                Assert.Equal(Results(byVector), Results(batch["batches"]![1]!));
            }
        }
    }

    [Theory]
    [InlineData("flat-euclidean", false)]
    [InlineData("flat-cosine", false)]
    [InlineData("flat-euclidean", true)]
    public async Task Pages_ConcatenateToOneDeeperSearch_OnAnExactIndex(string collection, bool byId)
    {
        const int K = 7;
        const int Pages = 5;
        object Query(int topK, int offset) => byId
            ? new { id = "p42", top_k = topK, offset }
            : new { vector = Enumerable.Repeat(0.25f, Dimension).ToArray(), top_k = topK, offset };

        var whole = Results(await _http.OkAsync(HttpMethod.Post, $"/v1/collections/{collection}/search", Query(Pages * K, 0)));
        Assert.Equal(Pages * K, whole.Count);
        var paged = new List<(string Id, float Score)>();
        for (var page = 0; page < Pages; page++)
        {
            paged.AddRange(Results(await _http.OkAsync(HttpMethod.Post, $"/v1/collections/{collection}/search", Query(K, page * K))));
        }

        Assert.Equal(whole, paged);

        // Past the end of the ranking: the rest, then nothing.
        var tail = Results(await _http.OkAsync(HttpMethod.Post, $"/v1/collections/{collection}/search", Query(K, Points - 3)));
        Assert.Equal(byId ? 2 : 3, tail.Count);
    }

    /// <summary>
    /// Each page is its own approximate search, with ef raised by its offset: a later page repeats an earlier one's
    /// point only if the shallower search missed a true neighbour. At these settings (m 16, ef 16) none does; with ef
    /// raised only to the page's depth, page 2 of query 12 missed rank 20 and page 3 repeated rank 21. With m 8 and
    /// ef 8 a repeat remains (the index's recall, not the paging).
    /// </summary>
    [Fact]
    public async Task Pages_OnTheGraphIndex_HaveNoDuplicates()
    {
        const int K = 10;
        const int Pages = 8;
        var random = new Random(7);
        for (var q = 0; q < 20; q++)
        {
            var vector = Enumerable.Range(0, Dimension).Select(_ => (float)((random.NextDouble() * 2) - 1)).ToArray();
            var ids = new List<string>();
            for (var page = 0; page < Pages; page++)
            {
                var results = Results(await _http.OkAsync(HttpMethod.Post, "/v1/collections/hnsw/search", new { vector, top_k = K, offset = page * K }));
                Assert.Equal(K, results.Count);
                ids.AddRange(results.Select(r => r.Id));
            }

            Assert.True(ids.Count == ids.Distinct(StringComparer.Ordinal).Count(), $"query {q}: {string.Join(",", ids)}");
        }

        var byId = new List<string>();
        for (var page = 0; page < Pages; page++)
        {
            byId.AddRange(Results(await _http.OkAsync(HttpMethod.Post, "/v1/collections/hnsw/search", new { id = "p3", top_k = K, offset = page * K })).Select(r => r.Id));
        }

        Assert.True(Pages * K == byId.Distinct(StringComparer.Ordinal).Count(), string.Join(",", byId));
        Assert.DoesNotContain("p3", byId);
    }

    [Fact]
    public async Task BadQueries_AreProblemsNamingTheFields()
    {
        var vector = new float[Dimension];
        var cases = new (string Path, object Body, int Status, string[] Mentions)[]
        {
            ("search", new { id = "p1", vector }, 400, ["vector", "id"]),
            ("search", new { top_k = 3 }, 400, ["vector", "id"]),
            ("search", new { id = "" }, 400, ["id"]),
            ("search", new { id = "ghost" }, 404, ["ghost"]),
            ("search", new { vector, offset = -1 }, 400, ["offset"]),
            ("search", new { vector, offset = 10_001 }, 400, ["offset"]),
            ("search", new { vector, offset = 9_995, top_k = 10 }, 400, ["offset", "top_k"]),
            ("search", new { id = "p1", offset = 9_991 }, 400, ["offset", "top_k"]),
            ("search/batch", new { searches = new object[] { new { vector }, new { id = "p1", vector } } }, 400, ["searches[1]", "id"]),
            ("search/batch", new { searches = new object[] { new { id = "p1" }, new { id = "ghost" } } }, 404, ["ghost"]),
        };
        foreach (var (path, body, status, mentions) in cases)
        {
            var answer = await _http.SendAsync(HttpMethod.Post, $"/v1/collections/flat-euclidean/{path}", body);
            ApiCalls.AssertProblem(answer, status);
            var detail = answer.Body!["detail"]!.GetValue<string>();
            Assert.All(mentions, m => Assert.Contains(m, detail, StringComparison.Ordinal));
            Assert.EndsWith(status == 404 ? "/not-found" : "/invalid-request", answer.Body!["type"]!.GetValue<string>());
        }
    }

    private static List<(string Id, float Score)> Results(JsonNode answer) =>
        [.. answer["results"]!.AsArray().Select(r => (r!["id"]!.GetValue<string>(), r["score"]!.GetValue<float>()))];
}
