using System.Globalization;
using System.Net;
using System.Net.Http.Json;
using System.Text.RegularExpressions;
using Piramid.Gateway.Tests.Support;
using Piramid.TestKit;
using Piramid.TestKit.Platform;

namespace Piramid.Gateway.Tests.Observability;

/// <summary>The gateway counts the requests its plan limits refuse, by reason, exactly as many as it answered 429.</summary>
[Collection(GatewayCollection.Name)]
public sealed partial class RefusalMetricsTests(PostgresFixture postgres)
{
    [Fact]
    public async Task RateLimitedRequests_AreCountedByReason_OnePerRefusal()
    {
        var metricsPort = LoopbackPort.GetFree();
        await using var platform = await PlatformHost.StartAsync(postgres, gatewaySettings: new Dictionary<string, string?> { ["Metrics:Port"] = metricsPort.ToString(CultureInfo.InvariantCulture) });
        using (var admin = await platform.ControlPlane.ClientAsync(platform.ControlPlane.Operator))
        {
            (await admin.PutAsJsonAsync("/v1/plans/trickle", new
            {
                name = "Trickle",
                max_collections = 5,
                max_points = 1000,
                max_storage_bytes = 1L << 30,
                max_dimension = 8,
                read_rate_per_second = 1,
                read_burst = 2,
                write_rate_per_second = 1,
                write_burst = 2,
                monthly_read_units = 1_000_000,
                monthly_write_units = 1_000_000,
            })).EnsureSuccessStatusCode();
        }

        var (_, key) = await platform.TenantWithKeyAsync("trickled", plan: "trickle");
        using var client = platform.Client(key);
        var refused = 0;
        for (var i = 0; i < 12; i++)
        {
            using var response = await client.GetAsync(new Uri("/v1/collections", UriKind.Relative));
            refused += response.StatusCode == HttpStatusCode.TooManyRequests ? 1 : 0;
        }

        Assert.True(refused >= 1, "a burst of 2 at 1/s refuses some of 12 requests in a row");
        using var http = new HttpClient();
        var text = await http.GetStringAsync(new Uri($"http://127.0.0.1:{metricsPort}/metrics"));
        var counted = RateLimitRefusals().Matches(text).Sum(m => double.Parse(m.Groups["value"].Value, CultureInfo.InvariantCulture));
        Assert.Equal(refused, counted);
    }

    [GeneratedRegex("^piramid_gateway_refusals_total\\{[^}]*reason=\"rate_limit\"[^}]*\\} (?<value>[0-9.e+]+)", RegexOptions.Multiline)]
    private static partial Regex RateLimitRefusals();
}
