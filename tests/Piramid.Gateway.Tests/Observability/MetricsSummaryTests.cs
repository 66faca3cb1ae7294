using System.Diagnostics;
using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using Microsoft.Extensions.DependencyInjection;
using Piramid.Contracts.Metrics;
using Piramid.Contracts.Problems;
using Piramid.Gateway.Tests.Support;
using Piramid.TestKit.Platform;
using static Piramid.Gateway.Tests.Support.Probe;

namespace Piramid.Gateway.Tests.Observability;

/// <summary>
/// The charts' summary (<c>/v1/metrics</c>, <c>/v1/tenants/{id}/metrics</c>, <c>/v1/platform/metrics</c>) after a known
/// load through the real gateway: counts exact, errors split 4xx/5xx, quantiles within their bucket, tenants kept apart.
/// </summary>
[Collection(GatewayCollection.Name)]
public sealed class MetricsSummaryTests(PostgresFixture postgres)
{
    // Reports only when the test sends them, so a summary read between two reports is fixed, not a race with a timer.
    private static readonly Dictionary<string, string?> ReportByHand = new() { ["Gateway:UsageReportInterval"] = "01:00:00" };

    [Fact]
    public async Task KnownLoad_IsCountedExactly_WithA4xxBurst_AndP99WithinItsBucket_AcrossAControlPlaneOutage()
    {
        await using var platform = await PlatformHost.StartAsync(postgres, ReportByHand);
        var (tenantId, key) = await platform.TenantWithKeyAsync("charted");
        var timed = new TimedHandler();
        using var http = new HttpClient(timed) { BaseAddress = platform.GatewayAddress };
        http.DefaultRequestHeaders.Authorization = new("Bearer", key);
        await WaitRoutedAsync(http);
        (await http.PutAsJsonAsync("/v1/collections/docs", new { dimension = 2 })).EnsureSuccessStatusCode();
        await platform.ReportUsageAsync();
        var before = await SummaryAsync(http, "/v1/metrics?window=1h");

        // 25 searches that succeed, then a burst of 9 on a collection that does not exist (404 from the engine).
        for (var i = 0; i < 34; i++)
        {
            using var response = await http.PostAsJsonAsync(i < 25 ? "/v1/collections/docs/search" : "/v1/collections/missing/search", new { vector = new[] { 1f, 2f } });
            Assert.Equal(i < 25 ? HttpStatusCode.OK : HttpStatusCode.NotFound, response.StatusCode);
        }

        // The control plane is away when the report is due: the counts are kept and delivered once afterwards.
        await platform.ControlPlane.App.StopAsync();
        await platform.ReportUsageAsync();
        await platform.ControlPlane.RestartAsync();
        await platform.ReportUsageAsync();
        await platform.ReportUsageAsync(); // nothing new: adds nothing

        var after = await SummaryAsync(http, "/v1/metrics?window=1h");
        Assert.Equal(tenantId, after["tenant_id"]!.GetValue<string>());
        Assert.Equal(60, after["step_seconds"]!.GetValue<int>());
        Assert.Equal(60, after["points"]!.AsArray().Count);
        Assert.Equal(34, Total(after, "requests") - Total(before, "requests"));
        Assert.Equal(9, Total(after, "client_errors") - Total(before, "client_errors"));
        Assert.Equal(0, Total(after, "server_errors") - Total(before, "server_errors"));

        // The points add up to the totals, and the burst is in the error series.
        var points = after["points"]!.AsArray();
        Assert.Equal(Total(after, "requests"), points.Sum(p => p!["requests"]!.GetValue<long>()));
        Assert.Equal(Total(after, "client_errors"), points.Sum(p => p!["client_errors"]!.GetValue<long>()));
        Assert.Contains(points, p => p!["client_errors"]!.GetValue<long>() > 0);

        // Every data request the tenant made is in the window, and each took the gateway at most what it took the
        // client: so the gateway's p99 is at most the top of the bucket of the client's p99 (same rank).
        Assert.Equal(timed.DataLatencies.Count, Total(after, "requests"));
        var clientLatencies = timed.DataLatencies.Order().ToList();
        var rank = (int)Math.Ceiling(0.99 * clientLatencies.Count) - 1;
        var bucket = LatencyBuckets.IndexOf(clientLatencies[rank].TotalMilliseconds);
        var top = bucket < LatencyBuckets.BoundsMs.Count ? LatencyBuckets.BoundsMs[bucket] : LatencyBuckets.BoundsMs[^1];
        var p99 = after["totals"]!["latency_p99_ms"]!.GetValue<double>();
        Assert.InRange(p99, double.Epsilon, top);
        Assert.InRange(after["totals"]!["latency_p50_ms"]!.GetValue<double>(), double.Epsilon, p99);

        // The same figures at the tenant path, for the tenant's admin key.
        var byPath = await SummaryAsync(http, $"/v1/tenants/{tenantId}/metrics");
        Assert.Equal(Total(after, "requests"), Total(byPath, "requests"));
    }

    [Fact]
    public async Task ATenant_CannotReadAnotherTenantsMetrics_NorThePlatforms()
    {
        await using var platform = await PlatformHost.StartAsync(postgres, ReportByHand);
        var (victim, _) = await platform.TenantWithKeyAsync("victim");
        var (_, key) = await platform.TenantWithKeyAsync("curious");
        using var http = platform.Client(key);
        using var other = await http.GetAsync(new Uri($"/v1/tenants/{victim}/metrics", UriKind.Relative));
        Assert.Contains((int)other.StatusCode, new[] { 403, 404 });
        Assert.Equal("application/problem+json", other.Content.Headers.ContentType?.MediaType);
        using var platformWide = await http.GetAsync(new Uri("/v1/platform/metrics", UriKind.Relative));
        Assert.Contains((int)platformWide.StatusCode, new[] { 401, 403 });
        var readOnly = await platform.KeyAsync(victim, Piramid.Contracts.Identity.Roles.ReadOnly);
        using var reader = platform.Client(readOnly);
        Assert.Equal(HttpStatusCode.Forbidden, (await reader.GetAsync(new Uri("/v1/metrics", UriKind.Relative))).StatusCode);
    }

    [Fact]
    public async Task WindowFuzz_IsA400ProblemNamingTheWindow_NeverA5xx()
    {
        await using var platform = await PlatformHost.StartAsync(postgres, ReportByHand);
        var (tenantId, key) = await platform.TenantWithKeyAsync("fuzzed");
        using var http = platform.Client(key);
        var random = new Random(2112);
        const string alphabet = "0123456789hdmsHDMwW -+.%&=;/\\\"'x\u00e9";
        var cases = new List<string> { "", "1H", "1h ", " 1h", "2h", "60m", "1d", "-1h", "0h", "1h%00", "7D", "24H", "1h&window=24h", new string('1', 3000) + "h" };
        for (var i = 0; i < 120; i++)
        {
            var chars = new char[random.Next(1, 12)];
            for (var c = 0; c < chars.Length; c++)
            {
                chars[c] = alphabet[random.Next(alphabet.Length)];
            }

            cases.Add(new string(chars));
        }

        foreach (var value in cases)
        {
            var query = value == "1h&window=24h" ? value : Uri.EscapeDataString(value);
            if (MetricsWindow.Find(Uri.UnescapeDataString(query)) is not null)
            {
                continue; // a valid window drawn at random
            }

            foreach (var path in new[] { "/v1/metrics", $"/v1/tenants/{tenantId}/metrics" })
            {
                using var response = await http.GetAsync(new Uri($"{path}?window={query}", UriKind.Relative));
                var body = await response.Content.ReadAsStringAsync();
                Assert.True(response.StatusCode == HttpStatusCode.BadRequest, $"window={query} at {path}: {(int)response.StatusCode} {body}");
                Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
                var problem = JsonNode.Parse(body)!;
                Assert.Equal(ProblemTypes.InvalidRequest, problem["type"]!.GetValue<string>());
                Assert.Contains("'window'", problem["detail"]!.GetValue<string>(), StringComparison.Ordinal);
            }
        }

        foreach (var window in MetricsWindow.All)
        {
            var summary = await SummaryAsync(http, $"/v1/metrics?window={window.Name}");
            Assert.Equal((int)(window.Length / window.Step), summary["points"]!.AsArray().Count);
            Assert.Equal((int)window.Step.TotalSeconds, summary["step_seconds"]!.GetValue<int>());
        }
    }

    [Fact]
    public async Task EngineSamples_GiveStorage_AndThePlatformSummaryCountsEnginesAndMemory()
    {
        await using var platform = await PlatformHost.StartAsync(postgres, ReportByHand);
        var (_, key) = await platform.TenantWithKeyAsync("sampled");
        using var http = platform.Client(key);
        await WaitRoutedAsync(http);
        (await http.PutAsJsonAsync("/v1/collections/docs", new { dimension = 2 })).EnsureSuccessStatusCode();
        await platform.ControlPlane.App.Services.GetRequiredService<Piramid.ControlPlane.Observability.EngineSampler>().SampleAllAsync(CancellationToken.None);

        var tenant = await SummaryAsync(http, "/v1/metrics");
        Assert.True(tenant["totals"]!["storage_bytes"]!.GetValue<long>() > 0, tenant.ToJsonString());
        Assert.Null(tenant["totals"]!["engines"]);

        using var admin = await platform.ControlPlane.ClientAsync(platform.ControlPlane.Operator);
        var all = (await admin.GetFromJsonAsync<JsonObject>("/v1/platform/metrics?window=24h"))!;
        Assert.Null(all["tenant_id"]);
        Assert.True(all["totals"]!["engines"]!.GetValue<int>() >= 1, all.ToJsonString());
        Assert.True(all["totals"]!["memory_bytes"]!.GetValue<long>() > 0, all.ToJsonString());
        Assert.True(all["totals"]!["storage_bytes"]!.GetValue<long>() >= tenant["totals"]!["storage_bytes"]!.GetValue<long>());
        Assert.Equal(96, all["points"]!.AsArray().Count);
    }

    // Times every data request (/v1/collections...) the client sends, from sending it to having read its whole answer.
    private sealed class TimedHandler() : DelegatingHandler(new HttpClientHandler())
    {
        public List<TimeSpan> DataLatencies { get; } = [];

        protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
        {
            var started = Stopwatch.GetTimestamp();
            var response = await base.SendAsync(request, cancellationToken);
            if (request.RequestUri!.AbsolutePath.StartsWith("/v1/collections", StringComparison.Ordinal))
            {
                DataLatencies.Add(Stopwatch.GetElapsedTime(started));
            }

            return response;
        }
    }

    private static long Total(JsonObject summary, string field) => summary["totals"]![field]!.GetValue<long>();

    private static async Task<JsonObject> SummaryAsync(HttpClient http, string path)
    {
        using var response = await http.GetAsync(new Uri(path, UriKind.Relative));
        var body = await response.Content.ReadAsStringAsync();
        Assert.True(response.IsSuccessStatusCode, $"{path}: {(int)response.StatusCode} {body}");
        return JsonNode.Parse(body)!.AsObject();
    }
}
