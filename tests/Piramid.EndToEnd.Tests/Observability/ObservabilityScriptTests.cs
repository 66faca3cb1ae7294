using System.Globalization;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using Piramid.EndToEnd.Tests.Support;

namespace Piramid.EndToEnd.Tests.Observability;

/// <summary>
/// <c>./piramid up --observability</c> as a user runs it: Debian's Prometheus starts with the generated scrape
/// configuration, finds every process (the engines through the control plane's discovery), and its PromQL answers
/// count a known load exactly; <c>./piramid status</c> then reads its figures from it.
/// </summary>
[Collection(PlatformCollection.Name)]
public sealed class ObservabilityScriptTests(LocalPlatform platform)
{
    private const int Searches = 12;

    // The script scrapes every 5 s and refreshes the engines' discovery every 5 s.
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(90);

    [Fact]
    public async Task UpWithObservability_ScrapesEveryProcess_AndPromQlCountsAKnownLoadExactly()
    {
        await platform.DownAsync();
        await platform.UpAsync("--observability");
        using var prometheus = new HttpClient
        {
            BaseAddress = new Uri($"http://127.0.0.1:{File.ReadAllText(Path.Combine(platform.State, "run", "prometheus.port")).Trim()}/"),
        };

        var (tenantId, client) = await platform.NewTenantAsync("e2e-observed");
        using (client)
        {
            (await client.PutAsJsonAsync("/v1/collections/seen", new { dimension = 2 })).EnsureSuccessStatusCode();
            (await client.PostAsJsonAsync("/v1/collections/seen/points", new { points = new[] { new { id = "a", vector = new[] { 1f, 2f } } } }))
                .EnsureSuccessStatusCode();
            for (var i = 0; i < Searches; i++)
            {
                (await client.PostAsJsonAsync("/v1/collections/seen/search", new { vector = new[] { 1f, i } })).EnsureSuccessStatusCode();
            }
        }

        // The new tenant's engine counts exactly the searches sent (found through the discovery, labelled with its tenant).
        var searches = $"sum(piramid_engine_searches_total{{job=\"piramid-engine\",tenant_id=\"{tenantId}\"}})";
        Assert.Equal(Searches, await QueryUntilAsync(prometheus, searches, v => v >= Searches));

        // Every process the script started is a healthy target.
        foreach (var job in new[] { "piramid-gateway", "piramid-control-plane" })
        {
            Assert.Equal(1, await QueryUntilAsync(prometheus, $"sum(up{{job=\"{job}\"}})", v => v >= 1));
        }

        Assert.True(await QueryUntilAsync(prometheus,
            "sum(http_server_request_duration_seconds_count{job=\"piramid-gateway\",http_route=\"/v1/collections/{name}/{**rest}\"})",
            v => v >= Searches) >= Searches);

        var status = await platform.StatusAsync();
        Assert.Contains("prometheus: running", status, StringComparison.Ordinal);
        Assert.Contains("figures (Prometheus", status, StringComparison.Ordinal);
    }

    // The first result's value once it satisfies done, or whatever it is when patience runs out (NaN: no series).
    private static async Task<double> QueryUntilAsync(HttpClient prometheus, string promql, Func<double, bool> done)
    {
        var deadline = DateTime.UtcNow + Patience;
        while (true)
        {
            var answer = await prometheus.GetFromJsonAsync<JsonObject>("api/v1/query?query=" + Uri.EscapeDataString(promql));
            var results = answer!["data"]!["result"]!.AsArray();
            var value = results.Count == 0 ? double.NaN : double.Parse(results[0]!["value"]![1]!.GetValue<string>(), CultureInfo.InvariantCulture);
            if ((!double.IsNaN(value) && done(value)) || DateTime.UtcNow > deadline)
            {
                return value;
            }

            await Task.Delay(TimeSpan.FromMilliseconds(500)); // Scrapes come every 5 s; nothing to wait on but the next one.
        }
    }
}
