using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using Piramid.Contracts.Admin;
using Piramid.ControlPlane.Orchestration;
using Piramid.Gateway.Routing;
using Piramid.Gateway.Tests.Support;
using Piramid.TestKit.Platform;

namespace Piramid.Gateway.Tests.Hibernation;

/// <summary>
/// Scale to zero with real engines, PostgreSQL and the gateway on loopback: an idle engine hibernates (its process
/// ends), its route stays known, and the first requests wake it and are answered.
/// </summary>
[Collection(GatewayCollection.Name)]
public sealed class HibernationTests(PostgresFixture postgres)
{
    private static readonly TimeSpan Within = TimeSpan.FromSeconds(60);

    [Fact]
    public async Task IdleEngine_Hibernates_ThenTwentyConcurrentFirstRequests_StartOneEngine_AndAllAreAnswered()
    {
        await using var platform = await Sleepers.StartAsync(postgres, TimeSpan.FromMilliseconds(200));
        var (tenantId, key) = await Sleepers.TenantAsync(platform, "sleeper", idleSeconds: 2);
        using var client = platform.Client(key);
        (await client.PutAsJsonAsync("/v1/collections/docs", new { dimension = 4 })).EnsureSuccessStatusCode();
        var ids = Enumerable.Range(0, 50).Select(i => $"p{i}").ToList();
        (await client.PostAsJsonAsync("/v1/collections/docs/points", Sleepers.Points(ids))).EnsureSuccessStatusCode();
        var firstPid = await platform.EngineProcessIdAsync(tenantId);

        await WaitHibernatedAsync(platform, tenantId); // No process: it costs no memory.
        var startsBefore = Sleepers.ReadyStarts(platform, tenantId);

        using var start = new SemaphoreSlim(0);
        var requests = Enumerable.Range(0, 20).Select(async i =>
        {
            await start.WaitAsync();
            using var response = i % 2 == 0
                ? await client.PostAsJsonAsync("/v1/collections/docs/count", new { })
                : await client.PostAsJsonAsync("/v1/collections/docs/search", new { vector = Sleepers.VectorOf("p1"), top_k = 3 });
            return (response.StatusCode, Body: await response.Content.ReadAsStringAsync());
        }).ToList();
        start.Release(20);
        var answers = await Task.WhenAll(requests);

        Assert.All(answers, a => Assert.True(a.StatusCode == HttpStatusCode.OK, $"{a.StatusCode}: {a.Body}"));
        Assert.All(answers.Where((_, i) => i % 2 == 0), a => Assert.Equal(50, JsonNode.Parse(a.Body)!["count"]!.GetValue<long>()));
        Assert.Equal(startsBefore + 1, Sleepers.ReadyStarts(platform, tenantId));
        var processes = Sleepers.EngineProcesses(platform, tenantId);
        Assert.Single(processes);
        Assert.NotEqual(firstPid, processes[0]);
        Assert.Equal(RouteStates.Running, await Sleepers.EngineStateAsync(platform, tenantId));
        Assert.Equal(1, platform.Gateway.Services.GetRequiredService<EngineWaker>().Asked);
    }

    [Fact]
    public async Task ConcurrentWakes_AtTheControlPlane_StartOneEngine()
    {
        await using var platform = await Sleepers.StartAsync(postgres, TimeSpan.FromMilliseconds(200));
        var (tenantId, _) = await Sleepers.TenantAsync(platform, "twenty-wakes", idleSeconds: 1);
        await WaitHibernatedAsync(platform, tenantId);
        var startsBefore = Sleepers.ReadyStarts(platform, tenantId);
        var orchestrator = platform.ControlPlane.App.Services.GetRequiredService<IEngineOrchestrator>();

        var outcomes = await Task.WhenAll(Enumerable.Range(0, 20).Select(_ => Task.Run(() => orchestrator.WakeAsync(tenantId, CancellationToken.None))));

        Assert.All(outcomes, o => Assert.Equal(WakeResult.Running, o.Result));
        Assert.Single(outcomes.Select(o => o.Route!.Endpoint).Distinct());
        Assert.Equal(startsBefore + 1, Sleepers.ReadyStarts(platform, tenantId));
        Assert.Single(Sleepers.EngineProcesses(platform, tenantId));
    }

    [Fact]
    public async Task WritesWhileTheEngineHibernates_AreEitherKeptOrRefusedWithARetryable503_NeverAcknowledgedThenLost()
    {
        // The gateway never reports activity here, so the engine hibernates every second under a steady write load:
        // writes arrive while it drains and stops, and while it wakes. Without a grace: a wake within it would keep the
        // engine, and the writes are to meet its stop.
        await using var platform = await Sleepers.StartAsync(postgres, TimeSpan.FromMinutes(10), hibernationGrace: TimeSpan.Zero);
        var (tenantId, key) = await Sleepers.TenantAsync(platform, "busy-sleeper", idleSeconds: 1);
        using var client = platform.Client(key);
        (await client.PutAsJsonAsync("/v1/collections/docs", new { dimension = 4 })).EnsureSuccessStatusCode();
        var acknowledged = new System.Collections.Concurrent.ConcurrentBag<string>();
        var refused = 0;
        var hibernations = 0;
        using var stop = new CancellationTokenSource();
        var writers = Enumerable.Range(0, 4).Select(w => Task.Run(async () =>
        {
            for (var n = 0; !stop.IsCancellationRequested; n++)
            {
                var id = $"w{w}-{n}";
                using var response = await client.PostAsJsonAsync("/v1/collections/docs/points", Sleepers.Points([id]));
                if (response.StatusCode == HttpStatusCode.OK)
                {
                    acknowledged.Add(id);
                    continue;
                }

                var body = await response.Content.ReadAsStringAsync();
                Assert.True(response.StatusCode == HttpStatusCode.ServiceUnavailable, $"{response.StatusCode}: {body}");
                Assert.True(response.Headers.RetryAfter is not null, "a 503 without Retry-After");
                Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
                Interlocked.Increment(ref refused);
            }
        })).ToList();

        // Three hibernations (each ends the process that served the writes), each followed by a wake.
        var pids = new HashSet<int>();
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(120);
        while (hibernations < 3)
        {
            Assert.True(DateTime.UtcNow < deadline, $"only {hibernations} hibernations");
            var state = await Sleepers.EngineStateAsync(platform, tenantId);
            if (state == RouteStates.Running && pids.Add(await platform.EngineProcessIdAsync(tenantId)))
            {
                hibernations = pids.Count - 1;
            }

            await Task.Delay(20);
        }

        await stop.CancelAsync();
        await Task.WhenAll(writers);

        var ids = acknowledged.ToList();
        Assert.NotEmpty(ids);
        var stored = await Sleepers.StoredAsync(client, ids);
        Assert.All(ids, id => Assert.Contains(id, stored));
    }

    [Fact]
    public async Task RequestsRightAfterTheHibernationStarts_AreAnsweredByTheSameEngine_WhichAWakeKeeps()
    {
        // Whether the gateway still holds the old route (the engine, in its grace, answers) or already knows the tenant
        // hibernates (its wake ends the grace), the requests are answered and the engine is never stopped. Without the
        // grace the engine is signalled at once: the first request meets a closed port (503) or a new engine.
        await using var platform = await Sleepers.StartAsync(postgres, TimeSpan.FromMilliseconds(200), hibernationGrace: TimeSpan.FromSeconds(30));
        var (tenantId, key) = await Sleepers.TenantAsync(platform, "graceful-sleeper", idleSeconds: 1);
        using var client = platform.Client(key);
        (await client.PutAsJsonAsync("/v1/collections/docs", new { dimension = 4 })).EnsureSuccessStatusCode();
        (await client.PostAsJsonAsync("/v1/collections/docs/points", Sleepers.Points(["a", "b"]))).EnsureSuccessStatusCode();
        var pid = await platform.EngineProcessIdAsync(tenantId);
        var starts = Sleepers.ReadyStarts(platform, tenantId);
        await Sleepers.WaitForStateAsync(platform, tenantId, RouteStates.Hibernating, Within);

        using (var first = await client.PostAsJsonAsync("/v1/collections/docs/count", new { }))
        {
            Assert.True(first.StatusCode == HttpStatusCode.OK, $"{first.StatusCode}: {await first.Content.ReadAsStringAsync()}");
        }

        // If the first went to the old route, the gateway learns of the hibernation next, and its next request wakes.
        var table = platform.Gateway.Services.GetRequiredService<RoutingTable>();
        await WaitUntilAsync(() => table.IsHibernating(tenantId) || platform.Gateway.Services.GetRequiredService<EngineWaker>().Asked > 0, "the gateway to see the tenant hibernating");
        using (var second = await client.PostAsJsonAsync("/v1/collections/docs/count", new { }))
        {
            Assert.Equal(HttpStatusCode.OK, second.StatusCode);
            Assert.Equal(2, (await second.Content.ReadFromJsonAsync<JsonObject>())!["count"]!.GetValue<long>());
        }

        Assert.Equal(RouteStates.Running, await Sleepers.EngineStateAsync(platform, tenantId));
        Assert.Equal([pid], Sleepers.EngineProcesses(platform, tenantId));
        Assert.Equal(starts, Sleepers.ReadyStarts(platform, tenantId));
        Assert.Equal(1, platform.Gateway.Services.GetRequiredService<EngineWaker>().Asked);
        Assert.Contains($"Engine of tenant {tenantId} woken within its hibernation's grace", platform.ControlPlane.Logs.Text, StringComparison.Ordinal);
    }

    [Fact]
    public async Task EngineKilledDuringAWake_TheNextRequestWakesIt_AndNothingIsLost()
    {
        await using var platform = await Sleepers.StartAsync(postgres, TimeSpan.FromMilliseconds(200));
        var (tenantId, key) = await Sleepers.TenantAsync(platform, "killed-waking", idleSeconds: 1);
        using var client = platform.Client(key);
        (await client.PutAsJsonAsync("/v1/collections/docs", new { dimension = 4 })).EnsureSuccessStatusCode();
        var ids = Enumerable.Range(0, 200).Select(i => $"k{i}").ToList();
        (await client.PostAsJsonAsync("/v1/collections/docs/points", Sleepers.Points(ids))).EnsureSuccessStatusCode();
        await WaitHibernatedAsync(platform, tenantId);

        // The first request wakes it; the engine is killed as soon as its process exists, before it is ready.
        var first = client.PostAsJsonAsync("/v1/collections/docs/count", new { });
        var killed = await KillFirstEngineAsync(platform, tenantId);
        using (var answer = await first)
        {
            // Held until the supervisor's restart made it ready, or refused as retryable: never a 5xx other than 503.
            Assert.True(answer.StatusCode is HttpStatusCode.OK or HttpStatusCode.ServiceUnavailable, $"{answer.StatusCode}");
        }

        using var next = await client.PostAsJsonAsync("/v1/collections/docs/count", new { });
        Assert.Equal(HttpStatusCode.OK, next.StatusCode);
        Assert.Equal(200, (await next.Content.ReadFromJsonAsync<JsonObject>())!["count"]!.GetValue<long>());
        Assert.DoesNotContain(killed, Sleepers.EngineProcesses(platform, tenantId));
        Assert.Equal(ids.Count, (await Sleepers.StoredAsync(client, ids)).Count);
    }

    [Fact]
    public async Task EngineKilledWhileItHibernates_WakesFromItsLog_WithEveryAcknowledgedWrite()
    {
        // The hibernation's clean stop must end in SIGKILL: no drain, no checkpoint. A short StopTimeout alone does not
        // make it so: a small Native AOT engine drains, checkpoints and exits within the orchestrator's first 20 ms
        // poll. So a request held open at the engine (its body never ends) keeps the drain going past StopTimeout.
        await using var platform = await Sleepers.StartAsync(postgres, TimeSpan.FromMilliseconds(200), stopTimeout: TimeSpan.FromSeconds(1));
        var (tenantId, key) = await Sleepers.TenantAsync(platform, "crashed-sleeper", idleSeconds: 1);
        using var client = platform.Client(key);
        (await client.PutAsJsonAsync("/v1/collections/docs", new { dimension = 4 })).EnsureSuccessStatusCode();
        var ids = new List<string>();
        for (var batch = 0; batch < 10; batch++)
        {
            var chunk = Enumerable.Range(0, 100).Select(i => $"c{batch}-{i}").ToList();
            (await client.PostAsJsonAsync("/v1/collections/docs/points", Sleepers.Points(chunk))).EnsureSuccessStatusCode();
            ids.AddRange(chunk);
        }

        var killed = $"Engine of tenant {tenantId} (pid";
        bool Killed() => platform.ControlPlane.Logs.Text.Split('\n').Any(l => l.Contains("ignored SIGTERM", StringComparison.Ordinal) && l.Contains(killed, StringComparison.Ordinal));
        var route = platform.ControlPlane.App.Services.GetRequiredService<IEngineOrchestrator>().GetRoute(tenantId)!;
        await using (var held = await HeldRequest.OpenAsync(route, "/v1/collections/docs/points"))
        {
            await held.TrickleUntilAsync(Killed, Within);
        }

        await WaitHibernatedAsync(platform, tenantId);
        using var count = await client.PostAsJsonAsync("/v1/collections/docs/count", new { });
        Assert.Equal(HttpStatusCode.OK, count.StatusCode);
        Assert.Equal(ids.Count, (await count.Content.ReadFromJsonAsync<JsonObject>())!["count"]!.GetValue<long>());
        Assert.Equal(ids.Count, (await Sleepers.StoredAsync(client, ids)).Count);
    }

    [Fact]
    public async Task HibernatedTenant_StaysHibernating_AcrossAControlPlaneRestart_AndWakesOnItsFirstRequest()
    {
        await using var platform = await Sleepers.StartAsync(postgres, TimeSpan.FromMilliseconds(200));
        var (tenantId, key) = await Sleepers.TenantAsync(platform, "restart-sleeper", idleSeconds: 1);
        using var client = platform.Client(key);
        (await client.PutAsJsonAsync("/v1/collections/docs", new { dimension = 4 })).EnsureSuccessStatusCode();
        (await client.PostAsJsonAsync("/v1/collections/docs/points", Sleepers.Points(["a", "b", "c"]))).EnsureSuccessStatusCode();
        await WaitHibernatedAsync(platform, tenantId);

        await platform.ControlPlane.RestartAsync();

        Assert.Equal(RouteStates.Hibernating, await Sleepers.EngineStateAsync(platform, tenantId));
        Assert.Empty(Sleepers.EngineProcesses(platform, tenantId));
        using var count = await client.PostAsJsonAsync("/v1/collections/docs/count", new { });
        Assert.Equal(HttpStatusCode.OK, count.StatusCode);
        Assert.Equal(3, (await count.Content.ReadFromJsonAsync<JsonObject>())!["count"]!.GetValue<long>());
    }

    [Fact]
    public async Task SuspendedTenant_IsNotWokenByARequest_AndAPlanWithoutHibernationNeverSleeps()
    {
        await using var platform = await Sleepers.StartAsync(postgres, TimeSpan.FromMilliseconds(200));
        var (tenantId, _) = await Sleepers.TenantAsync(platform, "suspended-sleeper", idleSeconds: 1);
        await WaitHibernatedAsync(platform, tenantId);
        using (var admin = await platform.ControlPlane.ClientAsync(platform.ControlPlane.Operator))
        {
            (await admin.PostAsync(new Uri($"/v1/tenants/{tenantId}/suspend", UriKind.Relative), null)).EnsureSuccessStatusCode();
        }

        Assert.Equal(RouteStates.Stopped, await Sleepers.EngineStateAsync(platform, tenantId));
        var orchestrator = platform.ControlPlane.App.Services.GetRequiredService<IEngineOrchestrator>();
        Assert.Equal(WakeResult.Stopped, (await orchestrator.WakeAsync(tenantId, CancellationToken.None)).Result);
        Assert.Empty(Sleepers.EngineProcesses(platform, tenantId));

        // A tenant on the default plan (no hibernate_after_seconds) keeps running through supervision rounds.
        var (awake, _) = await platform.TenantWithKeyAsync("never-sleeps");
        var local = platform.ControlPlane.App.Services.GetRequiredService<LocalProcessOrchestrator>();
        var rounds = local.SupervisionRounds;
        await WaitUntilAsync(() => local.SupervisionRounds >= rounds + 15, "15 supervision rounds");
        Assert.Equal(RouteStates.Running, await Sleepers.EngineStateAsync(platform, awake));
    }

    private static Task WaitHibernatedAsync(PlatformHost platform, string tenantId) => Sleepers.WaitHibernatedAsync(platform, tenantId, Within);

    private static async Task<int> KillFirstEngineAsync(PlatformHost platform, string tenantId)
    {
        var deadline = DateTime.UtcNow + Within;
        while (true)
        {
            if (Sleepers.EngineProcesses(platform, tenantId) is [var pid, ..])
            {
                System.Diagnostics.Process.GetProcessById(pid).Kill();
                return pid;
            }

            Assert.True(DateTime.UtcNow < deadline, "no engine process appeared for the wake");
            await Task.Delay(1);
        }
    }

    private static async Task WaitUntilAsync(Func<bool> condition, string what)
    {
        var deadline = DateTime.UtcNow + Within;
        while (!condition())
        {
            Assert.True(DateTime.UtcNow < deadline, $"timed out waiting for {what}");
            await Task.Delay(20);
        }
    }
}
