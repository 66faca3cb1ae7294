using Piramid.Contracts.Problems;
using Piramid.DataPlane.Tests.Support;

namespace Piramid.DataPlane.Tests;

/// <summary>
/// A filter operand of the wrong type for a schema-typed field is a 400 invalid-filter naming the field and the
/// expected type, on every filtered endpoint; untyped fields keep comparing loosely (no match, no error).
/// </summary>
public sealed class FilterSchemaTypeTests : IAsyncLifetime
{
    private EngineTestHost _host = null!;
    private HttpClient _http = null!;

    public async Task InitializeAsync()
    {
        _host = new EngineTestHost();
        var engine = await _host.StartAsync();
        _http = engine.CreateClient();
        await _http.OkAsync(HttpMethod.Put, "/v1/collections/films",
            new { dimension = 2, schema = new Dictionary<string, string> { ["year"] = "integer", ["genre"] = "keyword", ["seen"] = "boolean", ["score"] = "float" } });
        await _http.OkAsync(HttpMethod.Post, "/v1/collections/films/points", new
        {
            points = new[]
            {
                new { id = "a", vector = new[] { 1f, 0f }, metadata = (object)new { year = 1965, genre = "drama", seen = true, score = 7.5, note = "1965" } },
                new { id = "b", vector = new[] { 0f, 1f }, metadata = (object)new { year = 1999, genre = "noir", seen = false, score = 6.0, note = "x" } },
            },
        });
    }

    public async Task DisposeAsync()
    {
        _http.Dispose();
        await _host.DisposeAsync();
    }

    [Theory]
    [InlineData("""{"year":"1965"}""", "'year' is integer")]
    [InlineData("""{"year":{"$gt":"a"}}""", "'year' is integer")]
    [InlineData("""{"year":{"$in":[1965,"1999"]}}""", "'year' is integer")]
    [InlineData("""{"year":true}""", "'year' is integer")]
    [InlineData("""{"score":{"$lte":"7"}}""", "'score' is float")]
    [InlineData("""{"genre":1}""", "'genre' is keyword")]
    [InlineData("""{"genre":{"$nin":[false]}}""", "'genre' is keyword")]
    [InlineData("""{"genre":{"$gte":3}}""", "'genre' is keyword")]
    [InlineData("""{"seen":"true"}""", "'seen' is boolean")]
    [InlineData("""{"seen":1}""", "'seen' is boolean")]
    [InlineData("""{"seen":{"$gt":0}}""", "'seen' is boolean")]
    [InlineData("""{"$or":[{"genre":"noir"},{"$not":{"year":{"$ne":"1965"}}}]}""", "'year' is integer")]
    public async Task WrongOperandTypeForSchemaField_Is400InvalidFilter(string filter, string detail)
    {
        foreach (var (path, body) in Bodies(filter))
        {
            var response = await _http.SendRawAsync(HttpMethod.Post, path, body);
            ApiCalls.AssertProblem(response, 400, detail);
            Assert.Equal(ProblemTypes.InvalidFilter, (string?)response.Body?["type"]);
            Assert.Contains("expected", (string?)response.Body?["detail"], StringComparison.Ordinal);
        }

        Assert.Equal(2, await CountAsync("{}"));
    }

    [Theory]
    [InlineData("""{"year":1965}""", 1)]
    [InlineData("""{"year":{"$gte":1965.5}}""", 1)]
    [InlineData("""{"year":null}""", 0)]
    [InlineData("""{"genre":{"$in":["drama","noir"]}}""", 2)]
    [InlineData("""{"seen":false}""", 1)]
    [InlineData("""{"score":{"$gt":7}}""", 1)]
    [InlineData("""{"year":{"$exists":true}}""", 2)]
    [InlineData("""{"note":1965}""", 0)] // untyped: a number never equals the string "1965", and that is no error
    [InlineData("""{"note":"1965"}""", 1)]
    [InlineData("""{"note":{"$gt":5}}""", 0)]
    public async Task RightTypesAndUntypedFields_KeepTheirResults(string filter, long count)
    {
        Assert.Equal(count, await CountAsync(filter));
    }

    private static IEnumerable<(string Path, string Body)> Bodies(string filter)
    {
        yield return ("/v1/collections/films/count", $$"""{"filter":{{filter}}}""");
        yield return ("/v1/collections/films/search", $$"""{"vector":[1,0],"filter":{{filter}}}""");
        yield return ("/v1/collections/films/scroll", $$"""{"filter":{{filter}}}""");
        yield return ("/v1/collections/films/points/delete", $$"""{"filter":{{filter}}}""");
    }

    private async Task<long> CountAsync(string filter)
    {
        var response = await _http.SendRawAsync(HttpMethod.Post, "/v1/collections/films/count", $$"""{"filter":{{filter}}}""");
        Assert.True((int)response.Status == 200, response.Raw);
        return response.Body!["count"]!.GetValue<long>();
    }
}
