using System.Text.Json.Nodes;
using Piramid.DataPlane.Tests.Support;

namespace Piramid.DataPlane.Tests;

/// <summary>
/// <c>search/groups</c> on fields holding scalars, arrays of scalars, and values that form no group, against a
/// brute-force model: random collections (fixed seeds) on the exact index, grouped by the engine and by the model
/// from the full exact ranking.
/// </summary>
public sealed class GroupByArrayTests : IAsyncLifetime
{
    private const int Dimension = 3;

    private EngineTestHost _host = null!;
    private HttpClient _http = null!;

    public async Task InitializeAsync()
    {
        _host = new EngineTestHost();
        _http = (await _host.StartAsync()).CreateClient();
    }

    public async Task DisposeAsync()
    {
        _http.Dispose();
        await _host.DisposeAsync();
    }

    [Fact]
    public async Task ArrayValues_GroupThePointUnderEachDistinctScalar()
    {
        await _http.CreateCollectionAsync("tags", 1, "euclidean");
        await _http.OkAsync(HttpMethod.Post, "/v1/collections/tags/points", new
        {
            points = new object[]
            {
                new { id = "a", vector = new[] { 0f }, metadata = new JsonObject { ["tag"] = new JsonArray("x", "y", "x") } },
                new { id = "b", vector = new[] { 1f }, metadata = new JsonObject { ["tag"] = "y" } },
                new { id = "c", vector = new[] { 2f }, metadata = new JsonObject { ["tag"] = new JsonArray(new JsonObject { ["z"] = 1 }, new JsonArray("z"), null, 3) } },
                new { id = "d", vector = new[] { 3f }, metadata = new JsonObject { ["tag"] = new JsonArray() } },
            },
        });
        var answer = await _http.OkAsync(HttpMethod.Post, "/v1/collections/tags/search/groups", new { vector = new[] { 0f }, group_by = "tag", group_size = 5 });
        var groups = answer["groups"]!.AsArray();
        Assert.Equal(["\"x\"", "\"y\"", "3"], groups.Select(g => g!["value"]!.ToJsonString()));
        Assert.Equal(["a"], Ids(groups[0]!));
        Assert.Equal(["a", "b"], Ids(groups[1]!));
        Assert.Equal(["c"], Ids(groups[2]!));
    }

    [Fact]
    public async Task Groups_MatchTheBruteForceModel_OnRandomMetadata()
    {
        for (var seed = 0; seed < 40; seed++)
        {
            var random = new Random(seed);
            var name = $"model-{seed}";
            var count = random.Next(20, 90);
            await _http.CreateCollectionAsync(name, Dimension, "euclidean");
            var points = Enumerable.Range(0, count).Select(i => new
            {
                id = $"p{i}",
                vector = RandomVector(random),
                metadata = new JsonObject { ["f"] = new JsonObject { ["g"] = RandomValue(random, depth: 0) } },
            }).ToArray();
            await _http.OkAsync(HttpMethod.Post, $"/v1/collections/{name}/points", new { points });

            for (var q = 0; q < 3; q++)
            {
                var vector = RandomVector(random);
                var groupSize = random.Next(1, 5);
                var limit = random.Next(1, 7);
                var ranking = await _http.OkAsync(HttpMethod.Post, $"/v1/collections/{name}/search", new { vector, top_k = count });
                var expected = Model(ranking["results"]!.AsArray(), groupSize, limit);

                var answer = await _http.OkAsync(HttpMethod.Post, $"/v1/collections/{name}/search/groups",
                    new { vector, group_by = "f.g", group_size = groupSize, limit, include_metadata = false });
                var actual = answer["groups"]!.AsArray().Select(g => (g!["value"]!.ToJsonString(), Ids(g))).ToList();
                Assert.True(expected.Count == actual.Count, $"seed {seed}, query {q}: {expected.Count} groups expected, got {actual.Count}");
                for (var i = 0; i < expected.Count; i++)
                {
                    Assert.Equal(expected[i].Value, actual[i].Item1);
                    Assert.Equal(expected[i].Ids, actual[i].Item2);
                }
            }
        }
    }

    /// <summary>
    /// Groups by the definition: walk the ranking best first; each distinct scalar of the field (the value itself, or
    /// each item of an array) is a group; groups open in order of their first point until <paramref name="limit"/>,
    /// and keep their best <paramref name="groupSize"/> points.
    /// </summary>
    private static List<(string Value, List<string> Ids)> Model(JsonArray ranking, int groupSize, int limit)
    {
        var groups = new List<(string Value, List<string> Ids)>();
        foreach (var result in ranking)
        {
            var field = result!["metadata"]?["f"]?["g"];
            var candidates = field is JsonArray array ? [.. array] : new List<JsonNode?> { field };
            foreach (var value in candidates.Where(IsScalar).Select(v => v!.ToJsonString()).Distinct(StringComparer.Ordinal))
            {
                var index = groups.FindIndex(g => g.Value == value);
                if (index < 0 && groups.Count < limit)
                {
                    groups.Add((value, []));
                    index = groups.Count - 1;
                }

                if (index >= 0 && groups[index].Ids.Count < groupSize)
                {
                    groups[index].Ids.Add(result["id"]!.GetValue<string>());
                }
            }
        }

        return groups;
    }

    private static bool IsScalar(JsonNode? node) => node is JsonValue value && value.GetValueKind() is not System.Text.Json.JsonValueKind.Null;

    /// <summary>Scalars from small domains (so groups repeat), arrays of them (with repeats), and values that form no group.</summary>
    private static JsonNode? RandomValue(Random random, int depth)
    {
        switch (random.Next(depth == 0 ? 8 : 5))
        {
            case 0: return "s" + random.Next(4);
            case 1: return random.Next(3);
            case 2: return random.Next(2) == 0;
            case 3: return null;
            case 4: return new JsonObject { ["s"] = random.Next(2) };
            case 5:
            case 6:
                var array = new JsonArray();
                for (var i = random.Next(0, 5); i > 0; i--)
                {
                    array.Add(RandomValue(random, depth + 1));
                }

                if (random.Next(4) == 0)
                {
                    array.Add(new JsonArray("s0", 1));
                }

                return array;
            default: return JsonValue.Create("s" + random.Next(4));
        }
    }

    private static float[] RandomVector(Random random) => [.. Enumerable.Range(0, Dimension).Select(_ => (float)random.NextDouble())];

    private static List<string> Ids(JsonNode group) => [.. group["results"]!.AsArray().Select(r => r!["id"]!.GetValue<string>())];
}
