using System.Net;
using System.Text.Json.Nodes;
using Piramid.Contracts;
using Piramid.DataPlane.Tests.Support;

namespace Piramid.DataPlane.Tests;

/// <summary>
/// Property test: random finite vectors spanning the whole float32 range, in every metric and index type. A value
/// beyond <see cref="Limits.MaxVectorValue"/> is refused with 400 naming it; everything accepted stays searchable
/// (no 5xx, finite scores best first), whatever the query.
/// </summary>
public sealed class ExtremeVectorTests : IAsyncLifetime
{
    private const int Dimension = 6;
    private const int Points = 40;
    private const int Queries = 30;

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

    [Theory]
    [InlineData("cosine", "flat")]
    [InlineData("cosine", "hnsw")]
    [InlineData("dot", "flat")]
    [InlineData("dot", "hnsw")]
    [InlineData("euclidean", "flat")]
    [InlineData("euclidean", "hnsw")]
    public async Task ExtremeFiniteVectors_AreBoundedAtWrite_AndSearchesNeverFail(string metric, string index)
    {
        var random = new Random(HashCode.Combine(metric.Length, index.Length, 17));
        var name = $"{metric}-{index}";
        await _http.CreateCollectionAsync(name, Dimension, metric, index);

        var accepted = new List<string>();
        for (var i = 0; i < Points; i++)
        {
            var vector = RandomVector(random);
            var id = $"p{i}";
            var response = await _http.SendAsync(HttpMethod.Post, $"/v1/collections/{name}/points",
                new { points = new[] { new { id, vector, metadata = new { g = i % 3 } } } });
            if (WithinBound(vector))
            {
                Assert.True(response.Status == HttpStatusCode.OK, $"{Show(vector)} -> {(int)response.Status}: {response.Raw}");
                accepted.Add(id);
            }
            else
            {
                ApiCalls.AssertProblem(response, 400, "points[0].vector[");
            }
        }

        Assert.True(accepted.Count >= 10, $"only {accepted.Count} points were accepted; the generator is off");
        for (var q = 0; q < Queries; q++)
        {
            var query = RandomVector(random);
            var response = await _http.SendAsync(HttpMethod.Post, $"/v1/collections/{name}/search", new { vector = query, top_k = Points });
            if (!WithinBound(query))
            {
                ApiCalls.AssertProblem(response, 400, "'vector[");
                continue;
            }

            Assert.True(response.Status == HttpStatusCode.OK, $"query {Show(query)} -> {(int)response.Status}: {response.Raw}");
            var results = response.Body!["results"]!.AsArray();
            Assert.Equal(accepted.Count, results.Count);
            AssertFiniteBestFirst(results, Show(query));
        }

        var probe = new[] { Limits.MaxVectorValue, -Limits.MaxVectorValue, Limits.MaxVectorValue, 1f, 0f, -Limits.MaxVectorValue };
        var batch = await _http.OkAsync(HttpMethod.Post, $"/v1/collections/{name}/search/batch",
            new { searches = new[] { new { vector = probe, top_k = 5 }, new { vector = RandomWithin(random), top_k = 5 } } });
        foreach (var answer in batch["batches"]!.AsArray())
        {
            AssertFiniteBestFirst(answer!["results"]!.AsArray(), "batch");
        }

        // Recommend's query 2·p − n can reach three times the bound; it must still answer.
        var recommended = await _http.OkAsync(HttpMethod.Post, $"/v1/collections/{name}/recommend",
            new { positive = new object[] { accepted[0], probe }, negative = new object[] { accepted[1] }, top_k = 5 });
        AssertFiniteBestFirst(recommended["results"]!.AsArray(), "recommend");

        var groups = await _http.OkAsync(HttpMethod.Post, $"/v1/collections/{name}/search/groups",
            new { vector = probe, group_by = "g", group_size = 2 });
        foreach (var group in groups["groups"]!.AsArray())
        {
            AssertFiniteBestFirst(group!["results"]!.AsArray(), "groups");
        }
    }

    private static void AssertFiniteBestFirst(JsonArray results, string what)
    {
        var previous = float.PositiveInfinity;
        foreach (var result in results)
        {
            var score = result!["score"]!.GetValue<float>();
            Assert.True(float.IsFinite(score), $"{what}: score {score}");
            Assert.True(score <= previous, $"{what}: scores are not best first ({previous} then {score})");
            previous = score;
        }
    }

    private static bool WithinBound(float[] vector) => vector.All(v => MathF.Abs(v) <= Limits.MaxVectorValue);

    private static string Show(float[] vector) => "[" + string.Join(", ", vector.Select(v => v.ToString("R", System.Globalization.CultureInfo.InvariantCulture))) + "]";

    // Half the vectors stay within the bound (so enough points are stored), half may go beyond it.
    private static float[] RandomVector(Random random) => random.Next(2) == 0 ? RandomWithin(random) : RandomAny(random);

    private static float[] RandomWithin(Random random)
    {
        var vector = new float[Dimension];
        for (var i = 0; i < Dimension; i++)
        {
            do
            {
                vector[i] = RandomValue(random);
            }
            while (MathF.Abs(vector[i]) > Limits.MaxVectorValue);
        }

        return vector;
    }

    private static float[] RandomAny(Random random)
    {
        var vector = new float[Dimension];
        for (var i = 0; i < Dimension; i++)
        {
            vector[i] = RandomValue(random);
        }

        return vector;
    }

    // Finite float32 values of every scale: ordinary, tiny, subnormal, at and just past the bound, the largest.
    private static float RandomValue(Random random)
    {
        var sign = random.Next(2) == 0 ? 1f : -1f;
        return random.Next(8) switch
        {
            0 => (float)((random.NextDouble() * 2) - 1),
            1 => sign * (float)Math.Pow(10, (random.NextDouble() * 83) - 45),
            2 => sign * Limits.MaxVectorValue,
            3 => sign * MathF.BitIncrement(Limits.MaxVectorValue),
            4 => sign * float.MaxValue,
            5 => sign * float.Epsilon,
            6 => 0f,
            _ => sign * (float)Math.Pow(10, random.NextDouble() * 15),
        };
    }
}
