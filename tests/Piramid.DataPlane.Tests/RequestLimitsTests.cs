using System.Net;
using Piramid.Contracts;
using Piramid.DataPlane.Tests.Support;

namespace Piramid.DataPlane.Tests;

/// <summary>
/// One request cannot make the engine allocate without bound: batch results, vectors per answer, index
/// parameters and schema size each answer 400 with the limit in the detail (docs/API.md, "Limits").
/// </summary>
public sealed class RequestLimitsTests : IAsyncLifetime
{
    // 3,000 values per vector: 667 vectors make an answer of 2,001,000 values, one past the limit.
    private const int Wide = 3_000;
    private static readonly int MostVectors = Limits.MaxVectorValuesPerAnswer / Wide;

    private EngineTestHost _host = null!;
    private HttpClient _http = null!;

    public async Task InitializeAsync()
    {
        _host = new EngineTestHost();
        var engine = await _host.StartAsync();
        _http = engine.CreateClient();
        await _http.CreateCollectionAsync("wide", Wide);
        var vector = Enumerable.Repeat(0.5f, Wide).ToArray();
        await _http.OkAsync(HttpMethod.Post, "/v1/collections/wide/points",
            new { points = Enumerable.Range(0, 5).Select(i => new { id = $"p{i}", vector, metadata = new { g = i % 2 } }).ToArray() });
    }

    public async Task DisposeAsync()
    {
        _http.Dispose();
        await _host.DisposeAsync();
    }

    private static float[] Query => Enumerable.Repeat(1f, Wide).ToArray();

    [Fact]
    public async Task Batch_SumOfTopKOverLimit_Is400NamingTheLimit()
    {
        var searches = Enumerable.Range(0, 3).Select(_ => new { vector = Query, top_k = 4_000 }).ToArray();
        var response = await _http.SendAsync(HttpMethod.Post, "/v1/collections/wide/search/batch", new { searches });
        ApiCalls.AssertProblem(response, 400, Limits.MaxBatchTopK.ToString(System.Globalization.CultureInfo.InvariantCulture));

        var within = Enumerable.Range(0, 2).Select(_ => new { vector = Query, top_k = 5_000 }).ToArray();
        Assert.Equal(HttpStatusCode.OK, (await _http.SendAsync(HttpMethod.Post, "/v1/collections/wide/search/batch", new { searches = within })).Status);
    }

    [Fact]
    public async Task Batch_VectorsOverLimit_Is400NamingTheLimit()
    {
        var searches = new[] { new { vector = Query, top_k = 400, include_vector = true }, new { vector = Query, top_k = MostVectors - 399, include_vector = true } };
        ApiCalls.AssertProblem(await _http.SendAsync(HttpMethod.Post, "/v1/collections/wide/search/batch", new { searches }), 400, ValuesLimit);
    }

    [Fact]
    public async Task Search_VectorsOverLimit_Is400_WithinLimitAnswers()
    {
        ApiCalls.AssertProblem(await _http.SendAsync(HttpMethod.Post, "/v1/collections/wide/search",
            new { vector = Query, top_k = MostVectors + 1, include_vector = true }), 400, ValuesLimit);
        var answer = await _http.OkAsync(HttpMethod.Post, "/v1/collections/wide/search", new { vector = Query, top_k = MostVectors, include_vector = true });
        Assert.Equal(5, answer["results"]!.AsArray().Count);
        await _http.OkAsync(HttpMethod.Post, "/v1/collections/wide/search", new { vector = Query, top_k = Limits.MaxTopK });
    }

    [Fact]
    public async Task Scroll_VectorsOverLimit_Is400_WithoutVectorsAnswers()
    {
        ApiCalls.AssertProblem(await _http.SendAsync(HttpMethod.Post, "/v1/collections/wide/scroll",
            new { limit = MostVectors + 1, include_vector = true }), 400, ValuesLimit);
        var page = await _http.OkAsync(HttpMethod.Post, "/v1/collections/wide/scroll", new { limit = Limits.MaxScrollLimit });
        Assert.Equal(5, page["points"]!.AsArray().Count);
    }

    [Fact]
    public async Task GetMany_VectorsOverLimit_Is400()
    {
        var ids = Enumerable.Range(0, MostVectors + 1).Select(i => $"p{i}").ToArray();
        ApiCalls.AssertProblem(await _http.SendAsync(HttpMethod.Post, "/v1/collections/wide/points/get", new { ids, include_vector = true }), 400, ValuesLimit);
    }

    [Fact]
    public async Task Groups_VectorsOverLimit_Is400_WithinLimitCarriesVectors()
    {
        ApiCalls.AssertProblem(await _http.SendAsync(HttpMethod.Post, "/v1/collections/wide/search/groups",
            new { vector = Query, group_by = "g", limit = 100, group_size = 7, include_vector = true }), 400, ValuesLimit);
        var answer = await _http.OkAsync(HttpMethod.Post, "/v1/collections/wide/search/groups",
            new { vector = Query, group_by = "g", limit = 2, group_size = 3, include_vector = true });
        var results = answer["groups"]!.AsArray().SelectMany(g => g!["results"]!.AsArray()).ToList();
        Assert.Equal(5, results.Count);
        Assert.All(results, r => Assert.Equal(Wide, r!["vector"]!.AsArray().Count));
    }

    [Theory]
    [InlineData("""{"dimension":3,"index":{"type":"hnsw","m":1}}""", "index.m", "128")]
    [InlineData("""{"dimension":3,"index":{"type":"hnsw","m":129}}""", "index.m", "128")]
    [InlineData("""{"dimension":3,"index":{"type":"hnsw","ef_construction":3}}""", "index.ef_construction", "4096")]
    [InlineData("""{"dimension":3,"index":{"type":"hnsw","ef_construction":4097}}""", "index.ef_construction", "4096")]
    [InlineData("""{"dimension":3,"index":{"type":"hnsw","ef":0}}""", "index.ef", "10000")]
    [InlineData("""{"dimension":3,"index":{"type":"hnsw","ef":10001}}""", "index.ef", "10000")]
    public async Task CreateCollection_IndexParameterOutOfRange_Is400NamingTheRange(string body, string field, string limit)
    {
        var response = await _http.SendRawAsync(HttpMethod.Put, "/v1/collections/bad-index", body);
        ApiCalls.AssertProblem(response, 400, field);
        ApiCalls.AssertProblem(response, 400, limit);
        ApiCalls.AssertProblem(await _http.SendAsync(HttpMethod.Get, "/v1/collections/bad-index"), 404);
    }

    [Fact]
    public async Task CreateCollection_SchemaOverFieldLimit_Is400_AtLimitIsCreated()
    {
        var tooMany = Enumerable.Range(0, Limits.MaxSchemaFields + 1).ToDictionary(i => $"f{i}", _ => "keyword");
        var response = await _http.SendAsync(HttpMethod.Put, "/v1/collections/big-schema", new { dimension = 3, schema = tooMany });
        ApiCalls.AssertProblem(response, 400, $"at most {Limits.MaxSchemaFields}");
        ApiCalls.AssertProblem(await _http.SendAsync(HttpMethod.Get, "/v1/collections/big-schema"), 404);

        var atLimit = Enumerable.Range(0, Limits.MaxSchemaFields).ToDictionary(i => $"f{i}", _ => "keyword");
        Assert.Equal(HttpStatusCode.Created, (await _http.SendAsync(HttpMethod.Put, "/v1/collections/big-schema", new { dimension = 3, schema = atLimit })).Status);
    }

    private static string ValuesLimit => Limits.MaxVectorValuesPerAnswer.ToString(System.Globalization.CultureInfo.InvariantCulture);
}
