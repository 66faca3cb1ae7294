using System.Collections.Concurrent;
using System.Diagnostics;
using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using Piramid.Contracts.Problems;
using Piramid.EndToEnd.Tests.Support;

namespace Piramid.EndToEnd.Tests;

/// <summary>The platform as users meet it: started by <c>./piramid up</c>, used only through the gateway.</summary>
[Collection(PlatformCollection.Name)]
public sealed class PlatformTests(LocalPlatform platform)
{
    [Fact]
    public async Task Up_WritesLocalJson_AndTheDemoAnswersWithRelatedWords()
    {
        var mode = File.GetUnixFileMode(Path.Combine(platform.State, "local.json"));
        Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, mode);
        foreach (var key in new[] { "gateway_url", "control_plane_url", "operator_client_id", "operator_client_secret", "demo_tenant_id", "demo_api_key" })
        {
            Assert.False(string.IsNullOrEmpty(platform.Local[key]?.GetValue<string>()), key);
        }

        using var demo = platform.Tenant(platform.Local["demo_api_key"]!.GetValue<string>());
        var count = await (await demo.PostAsJsonAsync("/v1/collections/wordnet/count", new { })).Content.ReadFromJsonAsync<JsonObject>();
        Assert.Equal(10_000, count!["count"]!.GetValue<long>());

        // "car" (the automobile synset): its nearest synsets are about vehicles and driving.
        var car = await (await demo.PostAsJsonAsync("/v1/collections/wordnet/scroll", new { filter = new { word = "car" }, include_vector = true, limit = 1 }))
            .Content.ReadFromJsonAsync<JsonObject>();
        var vector = car!["points"]![0]!["vector"]!.AsArray().Select(v => v!.GetValue<float>()).ToArray();
        var found = await (await demo.PostAsJsonAsync("/v1/collections/wordnet/search", new { vector, top_k = 10 })).Content.ReadFromJsonAsync<JsonObject>();
        var text = string.Join(' ', found!["results"]!.AsArray().Select(r => r!["metadata"]!["gloss"]!.GetValue<string>() + " " + string.Join(' ', r["metadata"]!["words"]!.AsArray().Select(w => w!.GetValue<string>()))));
        Assert.Equal(car["points"]![0]!["id"]!.GetValue<string>(), found["results"]![0]!["id"]!.GetValue<string>());
        Assert.True(new[] { "vehicle", "engine", "motor", "drive", "automobile" }.Count(w => text.Contains(w, StringComparison.OrdinalIgnoreCase)) >= 3, text);
    }

    [Fact]
    public async Task OperatorAndTenant_FullJourney_ThroughTheGatewayOnly()
    {
        var (_, http) = await platform.NewTenantAsync("journey");
        using (http)
        {
            (await http.PutAsJsonAsync("/v1/collections/books", new { dimension = 3, metric = "cosine" })).EnsureSuccessStatusCode();
            var points = new[]
            {
                new { id = "dune", vector = new[] { 1f, 0f, 0f }, metadata = new JsonObject { ["genre"] = "scifi", ["year"] = 1965 } },
                new { id = "neuromancer", vector = new[] { 0.9f, 0.1f, 0f }, metadata = new JsonObject { ["genre"] = "scifi", ["year"] = 1984 } },
                new { id = "emma", vector = new[] { 0f, 1f, 0f }, metadata = new JsonObject { ["genre"] = "classic", ["year"] = 1815 } },
            };
            var upsert = await (await http.PostAsJsonAsync("/v1/collections/books/points", new { points })).EnsureSuccessStatusCode().Content.ReadFromJsonAsync<JsonObject>();
            Assert.Equal(3, upsert!["count"]!.GetValue<int>());

            var search = await Json(await http.PostAsJsonAsync("/v1/collections/books/search", new { vector = new[] { 1f, 0f, 0f }, top_k = 2 }));
            Assert.Equal(["dune", "neuromancer"], search["results"]!.AsArray().Select(r => r!["id"]!.GetValue<string>()));

            var filtered = await Json(await http.PostAsJsonAsync("/v1/collections/books/search", new { vector = new[] { 1f, 0f, 0f }, filter = new { year = new JsonObject { ["$gt"] = 1970 } } }));
            Assert.Equal(["neuromancer"], filtered["results"]!.AsArray().Select(r => r!["id"]!.GetValue<string>()));

            var page = await Json(await http.PostAsJsonAsync("/v1/collections/books/scroll", new { limit = 2 }));
            Assert.Equal(["dune", "emma"], page["points"]!.AsArray().Select(p => p!["id"]!.GetValue<string>()));
            var rest = await Json(await http.PostAsJsonAsync("/v1/collections/books/scroll", new { limit = 2, cursor = page["next_cursor"]!.GetValue<string>() }));
            Assert.Equal(["neuromancer"], rest["points"]!.AsArray().Select(p => p!["id"]!.GetValue<string>()));

            (await http.PostAsJsonAsync("/v1/collections/books/points/delete", new { ids = new[] { "emma" } })).EnsureSuccessStatusCode();
            Assert.Equal(HttpStatusCode.NotFound, (await http.GetAsync(new Uri("/v1/collections/books/points/emma", UriKind.Relative))).StatusCode);
            (await http.DeleteAsync(new Uri("/v1/collections/books", UriKind.Relative))).EnsureSuccessStatusCode();
            Assert.Equal(HttpStatusCode.NotFound, (await http.GetAsync(new Uri("/v1/collections/books", UriKind.Relative))).StatusCode);
        }
    }

    [Fact]
    public async Task TwoTenants_WithTheSameCollectionName_NeverSeeEachOther()
    {
        var (_, a) = await platform.NewTenantAsync("iso-a");
        var (_, b) = await platform.NewTenantAsync("iso-b");
        using (a)
        using (b)
        {
            foreach (var (http, id) in new[] { (a, "only-a"), (b, "only-b") })
            {
                (await http.PutAsJsonAsync("/v1/collections/shared", new { dimension = 2 })).EnsureSuccessStatusCode();
                (await http.PostAsJsonAsync("/v1/collections/shared/points", new { points = new[] { new { id, vector = new[] { 1f, 1f } } } })).EnsureSuccessStatusCode();
            }

            foreach (var (http, mine, theirs) in new[] { (a, "only-a", "only-b"), (b, "only-b", "only-a") })
            {
                var all = await Json(await http.PostAsJsonAsync("/v1/collections/shared/scroll", new { }));
                Assert.Equal([mine], all["points"]!.AsArray().Select(p => p!["id"]!.GetValue<string>()));
                Assert.Equal(HttpStatusCode.NotFound, (await http.GetAsync(new Uri($"/v1/collections/shared/points/{theirs}", UriKind.Relative))).StatusCode);
            }
        }
    }

    [Fact]
    public async Task KilledEngine_ComesBackByItself_WithEveryAcknowledgedWrite()
    {
        var (tenantId, http) = await platform.NewTenantAsync("crash");
        using (http)
        {
            (await http.PutAsJsonAsync("/v1/collections/log", new { dimension = 4 })).EnsureSuccessStatusCode();
            var acknowledged = new ConcurrentBag<string>();
            using var stop = new CancellationTokenSource();
            var writers = Enumerable.Range(0, 3).Select(w => Task.Run(async () =>
            {
                for (var batch = 0; !stop.IsCancellationRequested; batch++)
                {
                    var ids = Enumerable.Range(0, 20).Select(i => $"w{w}-b{batch}-p{i}").ToArray();
                    var points = ids.Select(id => new { id, vector = new[] { 1f, 2f, 3f, 4f } });
                    try
                    {
                        using var response = await http.PostAsJsonAsync("/v1/collections/log/points", new { points });
                        if (response.IsSuccessStatusCode)
                        {
                            foreach (var id in ids)
                            {
                                acknowledged.Add(id);
                            }
                        }
                        else
                        {
                            // While the engine restarts the gateway answers 503, and the free plan's write rate 429,
                            // both with Retry-After; anything else is a bug.
                            Assert.True(response.StatusCode is HttpStatusCode.ServiceUnavailable or HttpStatusCode.TooManyRequests, $"{(int)response.StatusCode}");
                            Assert.NotNull(response.Headers.RetryAfter);
                            await Task.Delay(200);
                        }
                    }
                    catch (HttpRequestException)
                    {
                        // The connection died with the engine mid-request: not acknowledged, may or may not be there.
                    }
                }
            })).ToArray();

            await Task.Delay(1500);
            var pid = platform.EnginePid(tenantId) ?? throw new Xunit.Sdk.XunitException("the tenant's engine process was not found");
            var before = acknowledged.Count;
            using (var engine = Process.GetProcessById(pid))
            {
                engine.Kill();
                await engine.WaitForExitAsync();
            }

            // Keep writing through the restart until writes are acknowledged again.
            var deadline = DateTime.UtcNow.AddSeconds(30);
            while (acknowledged.Count < before + 200 && DateTime.UtcNow < deadline)
            {
                await Task.Delay(200);
            }

            await stop.CancelAsync();
            await Task.WhenAll(writers);
            Assert.True(acknowledged.Count >= before + 200, "writes never resumed after the engine was killed");
            Assert.NotEqual(pid, platform.EnginePid(tenantId));

            var ids = acknowledged.ToArray();
            for (var i = 0; i < ids.Length; i += 1000)
            {
                var got = await Json(await http.PostAsJsonAsync("/v1/collections/log/points/get", new { ids = ids.Skip(i).Take(1000).ToArray() }));
                Assert.Equal(Math.Min(1000, ids.Length - i), got["points"]!.AsArray().Count);
            }
        }
    }

    [Fact]
    public async Task SuspendedTenant_IsRefusedWithAClearProblemType_AndResumeRestoresIt()
    {
        var (tenantId, http) = await platform.NewTenantAsync("suspend-me");
        using (http)
        {
            (await http.PutAsJsonAsync("/v1/collections/kept", new { dimension = 2 })).EnsureSuccessStatusCode();
            (await http.PostAsJsonAsync("/v1/collections/kept/points", new { points = new[] { new { id = "p", vector = new[] { 1f, 0f } } } })).EnsureSuccessStatusCode();
            using var admin = await platform.OperatorAsync();
            (await admin.PostAsync(new Uri($"/v1/tenants/{tenantId}/suspend", UriKind.Relative), null)).EnsureSuccessStatusCode();

            var refused = await WaitForStatusAsync(http, HttpStatusCode.Forbidden);
            Assert.Equal(ProblemTypes.TenantSuspended, refused["type"]!.GetValue<string>());

            (await admin.PostAsync(new Uri($"/v1/tenants/{tenantId}/resume", UriKind.Relative), null)).EnsureSuccessStatusCode();
            await Eventually.SucceedsAsync(http, "/v1/collections/kept/points/p", TimeSpan.FromSeconds(30));
        }
    }

    [Fact]
    public async Task ControlPlaneRestart_TenantsKeepBeingServed_AndEverythingRecovers()
    {
        var (_, http) = await platform.NewTenantAsync("survivor");
        using (http)
        {
            (await http.PutAsJsonAsync("/v1/collections/c", new { dimension = 2 })).EnsureSuccessStatusCode();
            using var admin = await platform.OperatorAsync(); // its token stays valid at the gateway (cached signing keys)
            using (var controlPlane = Process.GetProcessById(platform.ServicePid("control-plane")))
            {
                controlPlane.Kill();
                await controlPlane.WaitForExitAsync();
            }

            try
            {
                // The gateway serves from its last routing table and key cache while the control plane is away.
                for (var i = 0; i < 10; i++)
                {
                    await AssertSucceededAsync(await http.PostAsJsonAsync("/v1/collections/c/points", new { points = new[] { new { id = $"p{i}", vector = new[] { 1f, (float)i } } } }));
                    await AssertSucceededAsync(await http.PostAsJsonAsync("/v1/collections/c/search", new { vector = new[] { 1f, 0f } }));
                    await Task.Delay(200);
                }

                Assert.Equal(HttpStatusCode.ServiceUnavailable, (await admin.GetAsync(new Uri("/v1/tenants", UriKind.Relative))).StatusCode);
            }
            finally
            {
                await platform.UpAsync(); // starts what is not running: the control plane (the other tests share it)
            }

            var (_, fresh) = await platform.NewTenantAsync("after-restart");
            fresh.Dispose();
            var count = await Json(await http.PostAsJsonAsync("/v1/collections/c/count", new { }));
            Assert.Equal(10, count["count"]!.GetValue<long>());
        }
    }

    [Fact]
    public async Task DownThenUp_KeepsEveryTenantsData()
    {
        var (_, http) = await platform.NewTenantAsync("durable");
        using (http)
        {
            (await http.PutAsJsonAsync("/v1/collections/keep", new { dimension = 2 })).EnsureSuccessStatusCode();
            var points = Enumerable.Range(0, 300).Select(i => new { id = $"k{i}", vector = new[] { 1f, i } });
            (await http.PostAsJsonAsync("/v1/collections/keep/points", new { points })).EnsureSuccessStatusCode();

            await platform.DownAsync();
            Assert.Null(platform.EnginePid(platform.Local["demo_tenant_id"]!.GetValue<string>()));
            await platform.UpAsync();

            await Eventually.SucceedsAsync(http, "/v1/collections/keep", TimeSpan.FromSeconds(30));
            var count = await Json(await http.PostAsJsonAsync("/v1/collections/keep/count", new { }));
            Assert.Equal(300, count["count"]!.GetValue<long>());
            using var demo = platform.Tenant(platform.Local["demo_api_key"]!.GetValue<string>());
            await Eventually.SucceedsAsync(demo, "/v1/collections/wordnet", TimeSpan.FromSeconds(30));
            var demoCount = await Json(await demo.PostAsJsonAsync("/v1/collections/wordnet/count", new { }));
            Assert.Equal(10_000, demoCount["count"]!.GetValue<long>());
        }
    }

    private static async Task<JsonObject> WaitForStatusAsync(HttpClient http, HttpStatusCode status)
    {
        var deadline = DateTime.UtcNow.AddSeconds(15);
        while (true)
        {
            using var response = await http.GetAsync(new Uri("/v1/collections", UriKind.Relative));
            if (response.StatusCode == status)
            {
                return JsonNode.Parse(await response.Content.ReadAsStringAsync())!.AsObject();
            }

            Assert.True(DateTime.UtcNow < deadline, $"still {(int)response.StatusCode}, expected {(int)status}");
            await Task.Delay(200);
        }
    }

    private static async Task<JsonObject> Json(HttpResponseMessage response)
    {
        using (response)
        {
            var body = await response.Content.ReadAsStringAsync();
            Assert.True(response.IsSuccessStatusCode, $"{(int)response.StatusCode} {body}");
            return JsonNode.Parse(body)!.AsObject();
        }
    }

    // A failure names what answered: the problem body says whether the gateway or the engine refused.
    private static async Task AssertSucceededAsync(HttpResponseMessage response)
    {
        using (response)
        {
            Assert.True(response.IsSuccessStatusCode, $"{response.RequestMessage?.RequestUri}: {(int)response.StatusCode} {await response.Content.ReadAsStringAsync()}");
        }
    }
}
