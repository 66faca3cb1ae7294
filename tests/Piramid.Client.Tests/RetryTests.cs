using System.Net;
using Piramid.Client.Models;
using Piramid.Client.Tests.Support;

namespace Piramid.Client.Tests;

/// <summary>
/// Retries: a real 429 from the gateway (a plan with a one-token write bucket) and 503s from a loopback server of
/// our own; the same Idempotency-Key on every attempt of a write, bounded attempts, and cancellation while waiting.
/// </summary>
[Collection(ClientCollection.Name)]
public sealed class RetryTests(ClientPlatform platform)
{
    private const string WriteResultJson = """{"count":1,"lsn":7}""";

    private static Point OnePoint(string id) => new() { Id = id, Vector = [1, 2] };

    [Fact]
    public async Task RateLimitedWrite_IsRetriedAfterRetryAfter_WithTheSameIdempotencyKey()
    {
        var key = await platform.NewTenantKeyAsync(ClientPlatform.TinyPlan);
        using (var setup = platform.Client(key))
        {
            await setup.CreateCollectionAsync("docs", new CollectionSettings { Dimension = 2 });
        }

        // Without retries, writes drain the one-token bucket until the gateway refuses one: a real 429.
        using var once = platform.Client(key, maxAttempts: 1);
        PiramidApiException? refused = null;
        for (var i = 0; i < 10 && refused is null; i++)
        {
            try
            {
                await once.UpsertAsync("docs", [OnePoint($"drain-{i}")]);
            }
            catch (PiramidApiException e)
            {
                refused = e;
            }
        }

        Assert.NotNull(refused);
        Assert.Equal((HttpStatusCode.TooManyRequests, "rate-limited"), (refused.Status, refused.Code));
        Assert.NotNull(refused.RetryAfter);

        // The bucket is empty (it refills one token a second): the next write is refused once, waits, and lands.
        var recorder = new AttemptRecorder();
        using var http = new HttpClient(recorder);
        using var retrying = platform.Client(key, http);
        var written = await retrying.UpsertAsync("docs", [OnePoint("retried")]);
        Assert.Equal(1, written.Count);

        var attempts = recorder.Attempts.ToList();
        Assert.True(attempts.Count >= 2, $"expected a refusal then a success, saw {string.Join(", ", attempts.Select(a => a.Status))}");
        Assert.Equal(HttpStatusCode.TooManyRequests, attempts[0].Status);
        Assert.Equal(HttpStatusCode.OK, attempts[^1].Status);
        Assert.NotNull(attempts[0].IdempotencyKey);
        Assert.All(attempts, a => Assert.Equal(attempts[0].IdempotencyKey, a.IdempotencyKey));

        using var reader = platform.Client(key);
        Assert.Equal("retried", (await reader.GetPointAsync("docs", "retried")).Id);
    }

    [Fact]
    public async Task ServiceUnavailable_ThenOk_WaitsRetryAfter_AndResendsTheSameKeyAndBody()
    {
        await using var server = await ScriptedServer.StartAsync(
            ScriptedServer.Problem(503, "engine-unavailable", retryAfterSeconds: 1),
            ScriptedServer.Problem(503, "engine-unavailable", retryAfterSeconds: 1),
            ScriptedServer.Json(WriteResultJson));
        using var client = Scripted(server, maxAttempts: 3);

        var written = await client.UpsertAsync("docs", [OnePoint("a")]);

        Assert.Equal(new WriteResult(1, 7), written);
        var requests = server.Requests.ToList();
        Assert.Equal(3, requests.Count);
        Assert.Matches("^[0-9a-f]{32}$", requests[0].IdempotencyKey);
        Assert.All(requests, r => Assert.Equal(requests[0].IdempotencyKey, r.IdempotencyKey));
        Assert.All(requests, r => Assert.Equal("Bearer pk_test", r.Authorization));
        // Retry-After: 1 was honoured each time (the scheduler may only make it later).
        Assert.True(requests[1].At - requests[0].At >= TimeSpan.FromMilliseconds(950), $"{requests[1].At - requests[0].At}");
        Assert.True(requests[2].At - requests[1].At >= TimeSpan.FromMilliseconds(950), $"{requests[2].At - requests[1].At}");
    }

    [Fact]
    public async Task EachLogicalWrite_HasItsOwnKey_AndReadsCarryNone()
    {
        await using var server = await ScriptedServer.StartAsync(ScriptedServer.Json(WriteResultJson));
        using var client = Scripted(server, maxAttempts: 3);

        await client.UpsertAsync("docs", [OnePoint("a")]);
        await client.UpsertAsync("docs", [OnePoint("a")]);
        await client.DeletePointsAsync("docs", ["a"], idempotencyKey: "caller-chosen");
        Assert.Equal(1, await client.CountAsync("docs")); // a read: the scripted body's "count" is 1

        var keys = server.Requests.Select(r => r.IdempotencyKey).ToList();
        Assert.Equal(4, keys.Count);
        Assert.NotEqual(keys[0], keys[1]);
        Assert.Equal("caller-chosen", keys[2]);
        Assert.Null(keys[3]);
    }

    [Fact]
    public async Task Attempts_AreBounded_AndTheLastProblemIsThrown()
    {
        await using var server = await ScriptedServer.StartAsync(ScriptedServer.Problem(503, "service-unavailable"));
        using var client = Scripted(server, maxAttempts: 3);

        var error = await Assert.ThrowsAsync<PiramidApiException>(() => client.SearchAsync("docs", new SearchQuery { Vector = [1, 2] }));

        Assert.Equal(3, server.Requests.Count);
        Assert.Equal((HttpStatusCode.ServiceUnavailable, "https://piramid.dev/problems/service-unavailable", "Scripted", "scripted 503", "/scripted", "00-abc-01"),
            (error.Status, error.Type, error.Title, error.Detail, error.Instance, error.TraceId));
    }

    [Fact]
    public async Task ClientErrors_AreNotRetried()
    {
        await using var server = await ScriptedServer.StartAsync(ScriptedServer.Problem(409, "conflict"));
        using var client = Scripted(server, maxAttempts: 5);

        var error = await Assert.ThrowsAsync<PiramidApiException>(() => client.CreateCollectionAsync("docs", new CollectionSettings { Dimension = 2 }));

        Assert.Equal((HttpStatusCode.Conflict, "conflict"), (error.Status, error.Code));
        Assert.Single(server.Requests);
    }

    [Fact]
    public async Task RetryAfterLongerThanMaxBackoff_IsNotWaitedFor()
    {
        await using var server = await ScriptedServer.StartAsync(ScriptedServer.Problem(429, "rate-limited", retryAfterSeconds: 120));
        using var client = Scripted(server, maxAttempts: 5);

        var error = await Assert.ThrowsAsync<PiramidApiException>(() => client.UpsertAsync("docs", [OnePoint("a")]));

        Assert.Single(server.Requests);
        Assert.Equal(TimeSpan.FromSeconds(120), error.RetryAfter);
    }

    [Fact]
    public async Task Cancellation_DuringTheRetryWait_EndsTheCallWithoutAnotherAttempt()
    {
        await using var server = await ScriptedServer.StartAsync(ScriptedServer.Problem(503, "engine-unavailable", retryAfterSeconds: 20));
        using var client = Scripted(server, maxAttempts: 5);
        using var cancel = new CancellationTokenSource();

        var call = client.UpsertAsync("docs", [OnePoint("a")], cancellationToken: cancel.Token);
        await server.FirstRequest.Task;
        await cancel.CancelAsync();

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => call);
        Assert.Single(server.Requests);
    }

    private static PiramidClient Scripted(ScriptedServer server, int maxAttempts) => new(new PiramidClientOptions
    {
        BaseAddress = server.Address,
        ApiKey = "pk_test",
        MaxAttempts = maxAttempts,
        InitialBackoff = TimeSpan.FromMilliseconds(10),
        MaxBackoff = TimeSpan.FromSeconds(60),
        Random = new Random(24),
    });
}
