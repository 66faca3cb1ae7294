using System.Text.Json.Nodes;
using Piramid.Contracts.Problems;
using Piramid.DataPlane.Tests.Support;

namespace Piramid.DataPlane.Tests;

/// <summary>
/// Deleting by filter never empties a collection by surprise: a filter that matches every point is refused unless
/// the client sends <c>{"all": true}</c>, and no body without <c>all</c> deletes more than its ids or filter match.
/// </summary>
public sealed class DeleteAllTests : IAsyncLifetime
{
    private const int Points = 20;
    private static readonly string[] Genres = ["drama", "comedy", "noir"];

    private EngineTestHost _host = null!;
    private HttpClient _http = null!;

    public async Task InitializeAsync()
    {
        _host = new EngineTestHost();
        var engine = await _host.StartAsync();
        _http = engine.CreateClient();
        await _http.CreateCollectionAsync("docs", 2);
        await SeedAsync();
    }

    public async Task DisposeAsync()
    {
        _http.Dispose();
        await _host.DisposeAsync();
    }

    [Theory]
    [InlineData("""{"filter":{}}""")]
    [InlineData("""{"filter":{"$and":[{}]}}""")]
    [InlineData("""{"filter":{"$or":[{},{"genre":"noir"}]}}""")]
    [InlineData("""{"filter":{"$not":{"$not":{}}}}""")]
    [InlineData("""{"filter":{},"all":false}""")]
    public async Task FilterMatchingEverything_WithoutAll_Is400AndDeletesNothing(string body)
    {
        var response = await _http.SendRawAsync(HttpMethod.Post, "/v1/collections/docs/points/delete", body);
        ApiCalls.AssertProblem(response, 400, "\"all\": true");
        Assert.Equal(ProblemTypes.InvalidRequest, (string?)response.Body?["type"]);
        Assert.Equal(Points, await CountAsync());
    }

    [Theory]
    [InlineData("""{"all":true,"ids":["p1"]}""")]
    [InlineData("""{"all":true,"filter":{"genre":"noir"}}""")]
    [InlineData("""{"all":true,"filter":{}}""")]
    [InlineData("""{"all":false}""")]
    [InlineData("""{}""")]
    public async Task AllWithIdsOrFilter_OrNothingToDelete_Is400AndDeletesNothing(string body)
    {
        var response = await _http.SendRawAsync(HttpMethod.Post, "/v1/collections/docs/points/delete", body);
        ApiCalls.AssertProblem(response, 400, "all");
        Assert.Equal(Points, await CountAsync());
    }

    [Fact]
    public async Task AllTrue_DeletesEveryPoint()
    {
        var result = await _http.OkAsync(HttpMethod.Post, "/v1/collections/docs/points/delete", new { all = true });
        Assert.Equal(Points, result["count"]!.GetValue<int>());
        Assert.Equal(0, await CountAsync());
        Assert.Empty(await _http.ScrollAllAsync("docs"));
    }

    /// <summary>
    /// Property: for seeded random bodies of ids or filters (and sometimes <c>all: false</c>), the engine deletes
    /// exactly the points a model of the filter matches, or refuses with 400 only when the filter matches them all.
    /// </summary>
    [Fact]
    public async Task AnyBodyWithoutAll_DeletesOnlyWhatItsIdsOrFilterMatch()
    {
        var random = new Random(24);
        for (var round = 0; round < 40; round++)
        {
            await SeedAsync();
            var body = new JsonObject();
            HashSet<int> matched;
            if (random.Next(3) == 0)
            {
                var ids = Enumerable.Range(0, random.Next(1, 6)).Select(_ => random.Next(Points + 5)).ToList();
                body["ids"] = new JsonArray([.. ids.Select(i => JsonValue.Create($"p{i}"))]);
                matched = [.. ids.Where(i => i < Points)];
            }
            else
            {
                var (filter, predicate) = RandomFilter(random, depth: 0);
                body["filter"] = filter;
                matched = [.. Enumerable.Range(0, Points).Where(predicate)];
            }

            if (random.Next(4) == 0)
            {
                body["all"] = false;
            }

            var text = body.ToJsonString();
            var response = await _http.SendRawAsync(HttpMethod.Post, "/v1/collections/docs/points/delete", text);
            var left = (await _http.ScrollAllAsync("docs")).Keys.ToHashSet(StringComparer.Ordinal);
            if ((int)response.Status == 400)
            {
                Assert.True(matched.Count == Points, $"{text}: refused though it matches {matched.Count} of {Points}: {response.Raw}");
                Assert.True(left.Count == Points, $"{text}: refused but deleted {Points - left.Count}");
                continue;
            }

            Assert.True((int)response.Status == 200, $"{text}: {(int)response.Status} {response.Raw}");
            var expectedLeft = Enumerable.Range(0, Points).Where(i => !matched.Contains(i)).Select(i => $"p{i}").ToHashSet(StringComparer.Ordinal);
            Assert.True(expectedLeft.SetEquals(left), $"{text}: left [{string.Join(',', left.Order())}], expected [{string.Join(',', expectedLeft.Order())}]");
            Assert.Equal(matched.Count, response.Body!["count"]!.GetValue<int>());
        }
    }

    private static (JsonNode Filter, Func<int, bool> Predicate) RandomFilter(Random random, int depth)
    {
        var choice = depth >= 3 ? random.Next(4) : random.Next(8);
        switch (choice)
        {
            case 0:
                var genre = Genres[random.Next(Genres.Length)];
                return (new JsonObject { ["genre"] = genre }, i => Genre(i) == genre);
            case 1:
                var bound = random.Next(Points + 2);
                return (new JsonObject { ["rank"] = new JsonObject { ["$gte"] = bound } }, i => i >= bound);
            case 2:
                return (new JsonObject(), _ => true);
            case 3:
                var even = random.Next(2) == 0;
                return (new JsonObject { ["even"] = even }, i => (i % 2 == 0) == even);
            case 4 or 5:
                var parts = Enumerable.Range(0, random.Next(1, 4)).Select(_ => RandomFilter(random, depth + 1)).ToList();
                var op = choice == 4 ? "$and" : "$or";
                var array = new JsonArray([.. parts.Select(p => p.Filter)]);
                return choice == 4
                    ? (new JsonObject { [op] = array }, i => parts.All(p => p.Predicate(i)))
                    : (new JsonObject { [op] = array }, i => parts.Any(p => p.Predicate(i)));
            default:
                var inner = RandomFilter(random, depth + 1);
                return (new JsonObject { ["$not"] = inner.Filter }, i => !inner.Predicate(i));
        }
    }

    private static string Genre(int i) => Genres[i % Genres.Length];

    private async Task SeedAsync()
    {
        var points = Enumerable.Range(0, Points).Select(i => new
        {
            id = $"p{i}",
            vector = new[] { 1f, i + 1f },
            metadata = new { genre = Genre(i), rank = i, even = i % 2 == 0 },
        }).ToArray();
        await _http.OkAsync(HttpMethod.Post, "/v1/collections/docs/points", new { points });
    }

    private async Task<long> CountAsync() =>
        (await _http.OkAsync(HttpMethod.Post, "/v1/collections/docs/count", new { }))["count"]!.GetValue<long>();
}
