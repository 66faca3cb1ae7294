using System.Net;
using System.Text;
using System.Text.Json.Nodes;
using Piramid.Contracts;
using Piramid.Contracts.Problems;
using Piramid.DataPlane.Tests.Support;

namespace Piramid.DataPlane.Tests;

/// <summary>
/// <c>Idempotency-Key</c> on the engine process's point writes (upsert, update, delete), over real HTTP: a retry of
/// the same request replays the first answer (same count and lsn) and writes nothing; the same key with another body
/// is a 422; concurrent first requests run once; a malformed key is a 400 naming the header; and a retry after the
/// engine was killed (after it acknowledged) still replays. "Writes nothing" is checked by the lsn the next write
/// gets: one past the last logged record.
/// </summary>
public sealed class IdempotencyKeyTests : IAsyncLifetime
{
    private const string Upsert = "/v1/collections/docs/points";
    private const string Delete = "/v1/collections/docs/points/delete";

    private EngineTestHost _host = null!;
    private HttpClient _http = null!;

    public async Task InitializeAsync()
    {
        _host = new EngineTestHost();
        _http = (await _host.StartAsync()).CreateClient();
        await _http.CreateCollectionAsync("docs", 2);
    }

    public async Task DisposeAsync()
    {
        _http.Dispose();
        await _host.DisposeAsync();
    }

    [Fact]
    public async Task Upsert_RetriedWithTheKey_ReplaysTheAnswerAndWritesNothing()
    {
        var first = await SendAsync(HttpMethod.Post, Upsert, """{"points":[{"id":"a","vector":[1,2]},{"id":"b","vector":[3,4]}]}""", "upsert-1");
        // The same document with other whitespace is the same request.
        var retry = await SendAsync(HttpMethod.Post, Upsert, "{ \"points\" : [ {\"id\":\"a\", \"vector\":[1,2]},\n {\"id\":\"b\",\"vector\":[3,4]} ] }", "upsert-1");

        Assert.Equal(HttpStatusCode.OK, retry.Status);
        Assert.Equal(first.Raw, retry.Raw);
        Assert.Equal(2, (long)first.Body!["count"]!);
        Assert.Equal((long)first.Body["lsn"]! + 1, await NextLsnAsync());
        Assert.Equal(3, await CountAsync()); // a, b and the probe of NextLsnAsync
    }

    [Fact]
    public async Task UpdateAndDelete_RetriedWithTheKey_ReplayTheAnswer()
    {
        await _http.OkAsync(HttpMethod.Post, Upsert, new { points = new[] { new { id = "a", vector = new[] { 1f, 2f } } } });

        var update = await SendAsync(HttpMethod.Patch, $"{Upsert}/a", """{"metadata":{"n":1}}""", "update-1");
        var updateRetry = await SendAsync(HttpMethod.Patch, $"{Upsert}/a", """{"metadata":{"n":1}}""", "update-1");
        var delete = await SendAsync(HttpMethod.Post, Delete, """{"ids":["a"]}""", "delete-1");
        var deleteRetry = await SendAsync(HttpMethod.Post, Delete, """{"ids":["a"]}""", "delete-1");

        Assert.Equal(HttpStatusCode.OK, update.Status);
        Assert.Equal(update.Raw, updateRetry.Raw);
        Assert.Equal(1, (long)delete.Body!["count"]!);
        Assert.Equal(delete.Raw, deleteRetry.Raw); // a re-run would have deleted nothing: count 0 and a new lsn
        Assert.Equal((long)delete.Body["lsn"]! + 1, await NextLsnAsync());
    }

    [Theory]
    [InlineData("POST", Upsert, """{"points":[{"id":"a","vector":[1,2]}]}""", """{"points":[{"id":"a","vector":[1,3]}]}""")]
    [InlineData("PATCH", Upsert + "/a", """{"vector":[5,5]}""", """{"vector":[6,6]}""")]
    [InlineData("POST", Delete, """{"ids":["x"]}""", """{"ids":["y"]}""")]
    public async Task SameKey_OtherBody_Is422AndWritesNothing(string method, string path, string body, string otherBody)
    {
        await _http.OkAsync(HttpMethod.Post, Upsert, new { points = new[] { new { id = "a", vector = new[] { 1f, 2f } } } });
        var first = await SendAsync(new HttpMethod(method), path, body, "k-422");
        Assert.Equal(HttpStatusCode.OK, first.Status);

        var reused = await SendAsync(new HttpMethod(method), path, otherBody, "k-422");

        ApiCalls.AssertProblem((reused.Status, reused.Body, reused.Raw, reused.ContentType), 422, "k-422");
        Assert.Equal(ProblemTypes.IdempotencyKeyReused, (string?)reused.Body?["type"]);
        Assert.Equal((long)first.Body!["lsn"]! + 1, await NextLsnAsync());
    }

    [Fact]
    public async Task SameKey_OnAnotherPath_IsIndependent()
    {
        await _http.OkAsync(HttpMethod.Post, Upsert, new { points = new[] { new { id = "a", vector = new[] { 1f, 2f } }, new { id = "b", vector = new[] { 1f, 2f } } } });

        var a = await SendAsync(HttpMethod.Patch, $"{Upsert}/a", """{"vector":[7,7]}""", "shared");
        var b = await SendAsync(HttpMethod.Patch, $"{Upsert}/b", """{"vector":[7,7]}""", "shared");

        Assert.Equal(HttpStatusCode.OK, b.Status);
        Assert.True((long)b.Body!["lsn"]! > (long)a.Body!["lsn"]!);
    }

    [Fact]
    public async Task ConcurrentFirstRequests_WithOneKey_WriteOnce()
    {
        const string body = """{"points":[{"id":"c","vector":[9,9]}]}""";
        var answers = await Task.WhenAll(Enumerable.Range(0, 16).Select(_ => SendAsync(HttpMethod.Post, Upsert, body, "burst")));

        Assert.All(answers, a => Assert.Equal(HttpStatusCode.OK, a.Status));
        Assert.Single(answers.Select(a => a.Raw).Distinct());
        Assert.Equal((long)answers[0].Body!["lsn"]! + 1, await NextLsnAsync());
    }

    [Theory]
    [InlineData(256)] // one past the longest key
    [InlineData(0)] // empty
    [InlineData(-1)] // a tab inside: HTTP carries it, the key syntax does not allow it
    public async Task MalformedKey_Is400NamingTheHeader_AndWritesNothing(int length)
    {
        var key = length >= 0 ? new string('k', length) : "a\tb";
        var response = await SendAsync(HttpMethod.Post, Upsert, """{"points":[{"id":"a","vector":[1,2]}]}""", key);

        ApiCalls.AssertProblem((response.Status, response.Body, response.Raw, response.ContentType), 400, HeaderNames.IdempotencyKey);
        Assert.Equal(0, await CountAsync());
    }

    [Fact]
    public async Task Retry_AfterTheEngineWasKilled_ReplaysTheAcknowledgedAnswer()
    {
        await using var host = new EngineTestHost();
        var engine = await host.StartAsync();
        using var http = engine.CreateClient();
        await http.CreateCollectionAsync("docs", 2);
        const string body = """{"points":[{"id":"a","vector":[1,2]}]}""";
        var first = await SendAsync(http, HttpMethod.Post, Upsert, body, "before-kill");
        Assert.Equal(HttpStatusCode.OK, first.Status);

        engine.Kill();
        await engine.WaitForExitAsync(TimeSpan.FromSeconds(30));
        using var after = (await host.StartAsync()).CreateClient();

        var retry = await SendAsync(after, HttpMethod.Post, Upsert, body, "before-kill");
        Assert.Equal(first.Raw, retry.Raw);
        var reused = await SendAsync(after, HttpMethod.Post, Upsert, """{"points":[{"id":"a","vector":[2,2]}]}""", "before-kill");
        Assert.Equal(HttpStatusCode.UnprocessableEntity, reused.Status);
        var next = await after.OkAsync(HttpMethod.Post, Upsert, new { points = new[] { new { id = "probe", vector = new[] { 1f, 1f } } } });
        Assert.Equal((long)first.Body!["lsn"]! + 1, (long)next["lsn"]!);
    }

    private Task<Answer> SendAsync(HttpMethod method, string path, string body, string? key) => SendAsync(_http, method, path, body, key);

    private static async Task<Answer> SendAsync(HttpClient http, HttpMethod method, string path, string body, string? key)
    {
        using var request = new HttpRequestMessage(method, path) { Content = new StringContent(body, Encoding.UTF8, "application/json") };
        if (key is not null)
        {
            request.Headers.TryAddWithoutValidation(HeaderNames.IdempotencyKey, key);
        }

        using var response = await http.SendAsync(request);
        var raw = await response.Content.ReadAsStringAsync();
        return new Answer(response.StatusCode, raw.Length > 0 ? JsonNode.Parse(raw) : null, raw, response.Content.Headers.ContentType?.MediaType);
    }

    private async Task<long> NextLsnAsync() =>
        (long)(await _http.OkAsync(HttpMethod.Post, Upsert, new { points = new[] { new { id = "probe", vector = new[] { 1f, 1f } } } }))["lsn"]!;

    private async Task<long> CountAsync() => (long)(await _http.OkAsync(HttpMethod.Post, "/v1/collections/docs/count"))["count"]!;

    private sealed record Answer(HttpStatusCode Status, JsonNode? Body, string Raw, string? ContentType);
}
