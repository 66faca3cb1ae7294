using System.Globalization;
using System.Net;
using System.Net.Http.Json;
using Piramid.Gateway.Tests.Support;
using Piramid.TestKit;
using Piramid.TestKit.Observability;
using Piramid.TestKit.Platform;

namespace Piramid.Gateway.Tests.Observability;

/// <summary>
/// A real Prometheus scrapes a platform (gateway, control plane, the engines it discovers through the control plane)
/// and PromQL over its HTTP API finds a known load: the series Prometheus stores, not only what /metrics prints.
/// </summary>
[Collection(GatewayCollection.Name)]
public sealed class PrometheusScrapeTests(PostgresFixture postgres)
{
    private const int Searches = 25;
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(60);

    [Fact]
    public async Task KnownLoad_IsFoundByPromQl_PerRouteTemplateAndPerTenant()
    {
        var gatewayMetrics = LoopbackPort.GetFree();
        var controlPlaneMetrics = LoopbackPort.GetFree();
        await using var platform = await PlatformHost.StartAsync(
            postgres,
            gatewaySettings: new Dictionary<string, string?> { ["Metrics:Port"] = Port(gatewayMetrics) },
            controlPlaneSettings: new Dictionary<string, string?> { ["Metrics:Port"] = Port(controlPlaneMetrics) });
        var (tenant, key) = await platform.TenantWithKeyAsync("observed");
        using var client = platform.Client(key);
        (await client.PutAsJsonAsync("/v1/collections/docs", new { dimension = 2 })).EnsureSuccessStatusCode();
        (await client.PostAsJsonAsync("/v1/collections/docs/points", new { points = new[] { new { id = "a", vector = new[] { 1f, 2f } }, new { id = "b", vector = new[] { 2f, 1f } } } }))
            .EnsureSuccessStatusCode();
        for (var i = 0; i < Searches; i++)
        {
            (await client.PostAsJsonAsync("/v1/collections/docs/search", new { vector = new[] { 1f, i } })).EnsureSuccessStatusCode();
        }

        await using var prometheus = await PrometheusServer.StartAsync($$"""
              - job_name: piramid-gateway
                static_configs: [{ targets: ['127.0.0.1:{{gatewayMetrics}}'] }]
              - job_name: piramid-control-plane
                static_configs: [{ targets: ['127.0.0.1:{{controlPlaneMetrics}}'] }]
              - job_name: piramid-engine
                http_sd_configs: [{ url: 'http://127.0.0.1:{{controlPlaneMetrics}}/internal/v1/prometheus/targets', refresh_interval: 1s }]

            """);

        // The engine's own count, labelled with its tenant by the discovery.
        var engineSearches = await prometheus.QueryUntilAsync(
            $"sum(piramid_engine_searches_total{{job=\"piramid-engine\",tenant_id=\"{tenant}\"}})", v => v >= Searches, Patience);
        Assert.True(engineSearches.Count == 1 && engineSearches[0].Value >= Searches, $"engine searches: {Describe(engineSearches)}\n{await prometheus.TargetsAsync()}");

        // The engine's search latency per collection, and its candidates visited.
        var latency = await prometheus.QueryUntilAsync(
            $"sum(piramid_engine_search_duration_seconds_count{{tenant_id=\"{tenant}\",collection=\"docs\"}})", v => v >= Searches, Patience);
        Assert.True(latency.Count == 1 && latency[0].Value >= Searches, $"search latency: {Describe(latency)}");
        var visited = await prometheus.QueryAsync($"sum(piramid_engine_search_candidates_visited_sum{{tenant_id=\"{tenant}\",collection=\"docs\"}})");
        Assert.True(visited.Count == 1 && visited[0].Value >= Searches, $"candidates visited: {Describe(visited)}"); // at least one vector per search
        var appends = await prometheus.QueryAsync($"sum(piramid_engine_wal_append_duration_seconds_count{{tenant_id=\"{tenant}\"}})");
        Assert.True(appends.Count == 1 && appends[0].Value >= 1, $"WAL appends: {Describe(appends)}");

        // The gateway's requests per route template: the searches went through the collections route.
        var routed = await prometheus.QueryUntilAsync(
            "sum(http_server_request_duration_seconds_count{job=\"piramid-gateway\",http_route=\"/v1/collections/{name}/{**rest}\",http_response_status_code=\"200\"})",
            v => v >= Searches, Patience);
        Assert.True(routed.Count == 1 && routed[0].Value >= Searches, $"gateway route: {Describe(routed)}");
        // Forwards are not counted again as client requests, one series per engine port (GatewayHosting).
        Assert.Empty(await prometheus.QueryAsync("{job=\"piramid-gateway\",__name__=~\"http_client_.*\"}"));
        // Route templates, never raw paths: no series names the collection.
        Assert.Empty(await prometheus.QueryAsync("http_server_request_duration_seconds_count{http_route=~\".*docs.*\"}"));

        // The control plane is scraped too (its own requests: the gateway's introspections and route reads).
        var controlPlane = await prometheus.QueryUntilAsync("sum(http_server_request_duration_seconds_count{job=\"piramid-control-plane\"})", v => v >= 1, Patience);
        Assert.True(controlPlane.Count == 1 && controlPlane[0].Value >= 1, $"control plane: {Describe(controlPlane)}");
    }

    [Fact]
    public async Task MetricsPort_ServesOnlyMetrics_AndThePublicPortNever()
    {
        var gatewayMetrics = LoopbackPort.GetFree();
        await using var platform = await PlatformHost.StartAsync(postgres, gatewaySettings: new Dictionary<string, string?> { ["Metrics:Port"] = Port(gatewayMetrics) });
        using var http = new HttpClient();

        using var scrape = await http.GetAsync(new Uri($"http://127.0.0.1:{gatewayMetrics}/metrics"));
        Assert.Equal(HttpStatusCode.OK, scrape.StatusCode);
        Assert.Contains("http_server_request_duration_seconds", await scrape.Content.ReadAsStringAsync(), StringComparison.Ordinal);

        // The metrics port is not a second door to the API.
        using var api = await http.GetAsync(new Uri($"http://127.0.0.1:{gatewayMetrics}/v1/collections"));
        Assert.Equal(HttpStatusCode.NotFound, api.StatusCode);

        // The public port never answers /metrics, whatever Host header the caller sends.
        using var request = new HttpRequestMessage(HttpMethod.Get, new Uri(platform.GatewayAddress, "/metrics"));
        request.Headers.Host = $"127.0.0.1:{gatewayMetrics}";
        using var publicScrape = await http.SendAsync(request);
        Assert.NotEqual(HttpStatusCode.OK, publicScrape.StatusCode);
        Assert.DoesNotContain("http_server_request_duration_seconds", await publicScrape.Content.ReadAsStringAsync(), StringComparison.Ordinal);
    }

    private static string Port(int port) => port.ToString(CultureInfo.InvariantCulture);

    private static string Describe(IReadOnlyList<(System.Text.Json.Nodes.JsonObject Labels, double Value)> results) =>
        results.Count == 0 ? "no series" : string.Join("; ", results.Select(r => $"{r.Labels.ToJsonString()} = {r.Value}"));
}
