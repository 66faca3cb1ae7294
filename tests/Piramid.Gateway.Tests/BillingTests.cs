using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json.Nodes;
using Microsoft.Extensions.DependencyInjection;
using Piramid.Gateway.Tests.Support;
using Piramid.Gateway.Usage;
using Piramid.TestKit.Platform;
using static Piramid.Gateway.Tests.Support.Probe;

namespace Piramid.Gateway.Tests;

/// <summary>
/// Units follow the bytes that crossed the gateway, and billing survives what refused requests and refused
/// reports would do to it.
/// </summary>
[Collection(GatewayCollection.Name)]
public sealed class BillingTests(PostgresFixture postgres)
{
    // Paths as long as a request line allows, of a character JSON escapes to six bytes: the worst a refused
    // request could cost a report that carried it.
    private static readonly string LongPath = "/v1/collections/" + string.Concat(Enumerable.Repeat("%3C", 2400));

    [Fact]
    public async Task AFloodOf401sWithLongPaths_ThenRealRequests_BillsTheRealRequestsExactly_AndAuditsTheFloodAsCounts()
    {
        await using var platform = await PlatformHost.StartAsync(postgres, new Dictionary<string, string?>
        {
            // This test is about reports: every refused request gets its 401, none is held back as 429.
            ["Gateway:UnauthenticatedRatePerSecond"] = "1000000",
            ["Gateway:UnauthenticatedBurst"] = "1000000",
            // Reports only when the test asks, so the whole flood falls into one report interval.
            ["Gateway:UsageReportInterval"] = "01:00:00",
        });
        var (tenantId, key) = await platform.TenantWithKeyAsync("flood-billed");
        using var http = platform.Client(key);
        await WaitRoutedAsync(http);
        (await http.PutAsJsonAsync("/v1/collections/docs", new { dimension = 2 })).EnsureSuccessStatusCode();
        await platform.ReportUsageAsync();
        var before = await UsageAsync(platform, tenantId);

        const int Flood = 4000;
        var keyId = key.Split('_')[1];
        var wrongSecret = $"pk_{keyId}_{new string('Q', 43)}";
        await Parallel.ForAsync(0, Flood, new ParallelOptions { MaxDegreeOfParallelism = 8 }, async (i, ct) =>
        {
            using var bad = platform.Client(wrongSecret);
            using var response = await bad.GetAsync(new Uri(LongPath + i, UriKind.Relative), ct);
            Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
        });

        // 3 reads with small answers (1 read unit each) and one write of 3 started KiB.
        using var upsert = new StringContent($"{{\"points\":[{{\"id\":\"a\",\"vector\":[1,2]}}]{new string(' ', 2400)}}}", Encoding.UTF8, "application/json");
        var writeUnits = UsageMeter.WriteUnitsFor((await upsert.ReadAsByteArrayAsync()).Length);
        Assert.Equal(3, writeUnits);
        (await http.PostAsync(new Uri("/v1/collections/docs/points", UriKind.Relative), upsert)).EnsureSuccessStatusCode();
        for (var i = 0; i < 3; i++)
        {
            (await http.PostAsJsonAsync("/v1/collections/docs/count", new { })).EnsureSuccessStatusCode();
        }

        await platform.ReportUsageAsync();
        var after = await UsageAsync(platform, tenantId);
        Assert.Equal(3, after["read_units"]!.GetValue<long>() - before["read_units"]!.GetValue<long>());
        Assert.Equal(writeUnits, after["write_units"]!.GetValue<long>() - before["write_units"]!.GetValue<long>());

        // The flood is in the key's tenant's trail as counts per reason and address, without a path.
        using var admin = await platform.ControlPlane.ClientAsync(platform.ControlPlane.Operator);
        var page = await admin.GetFromJsonAsync<JsonObject>($"/v1/tenants/{tenantId}/audit");
        var failures = page!["events"]!.AsArray().Where(e => e!["action"]!.GetValue<string>() == "auth.failed").ToList();
        Assert.Equal(Flood, failures.Sum(f => f!["after"]!["count"]!.GetValue<long>()));
        Assert.All(failures, f =>
        {
            Assert.Equal("invalid", f!["after"]!["reason"]!.GetValue<string>());
            Assert.Equal("127.0.0.1", f["after"]!["remote_address"]!.GetValue<string>());
            Assert.Null(f["after"]!["path"]);
        });
        Assert.Single(failures); // one report interval, one reason, one address, one key id
    }

    [Fact]
    public async Task AUsageEntryTheControlPlaneRefuses_IsDroppedWithALogLine_AndDoesNotHoldUpTheRest()
    {
        await using var platform = await PlatformHost.StartAsync(postgres);
        var (tenantId, key) = await platform.TenantWithKeyAsync("poisoned");
        using var http = platform.Client(key);
        await WaitRoutedAsync(http);
        await platform.ReportUsageAsync();
        var before = await UsageAsync(platform, tenantId);

        // An entry the control plane refuses as malformed (negative units), counted beside real ones.
        var poison = $"poison-{Guid.NewGuid():N}";
        platform.Gateway.Services.GetRequiredService<UsageMeter>().Add(poison, -5, 1);
        for (var i = 0; i < 4; i++)
        {
            (await http.GetAsync(new Uri("/v1/collections", UriKind.Relative))).EnsureSuccessStatusCode();
        }

        await platform.ReportUsageAsync();
        Assert.Equal(4, (await UsageAsync(platform, tenantId))["read_units"]!.GetValue<long>() - before["read_units"]!.GetValue<long>());
        Assert.Contains($"Usage dropped, refused by the control plane: tenant {poison}", PlatformHost.Logs.Text, StringComparison.Ordinal);

        // Nothing is left waiting: the next units go out with the next report.
        (await http.GetAsync(new Uri("/v1/collections", UriKind.Relative))).EnsureSuccessStatusCode();
        await platform.ReportUsageAsync();
        Assert.Equal(5, (await UsageAsync(platform, tenantId))["read_units"]!.GetValue<long>() - before["read_units"]!.GetValue<long>());
    }

    [Fact]
    public async Task AChunkedUpsert_IsBilledLikeTheSameUpsertWithALength()
    {
        await using var platform = await PlatformHost.StartAsync(postgres);
        var (tenantId, key) = await platform.TenantWithKeyAsync("chunked");
        using var http = platform.Client(key);
        await WaitRoutedAsync(http);
        (await http.PutAsJsonAsync("/v1/collections/docs", new { dimension = 2 })).EnsureSuccessStatusCode();

        // About 5 MB: 1,000 points with 5,000 bytes of metadata each.
        var text = new string('x', 5000);
        var body = Encoding.UTF8.GetBytes(new JsonObject
        {
            ["points"] = new JsonArray([.. Enumerable.Range(0, 1000).Select(i => (JsonNode)new JsonObject
            {
                ["id"] = $"p{i}",
                ["vector"] = new JsonArray(1, 2),
                ["metadata"] = new JsonObject { ["text"] = text },
            })]),
        }.ToJsonString());
        Assert.InRange(body.Length, 5_000_000, 5_200_000);
        var expected = UsageMeter.WriteUnitsFor(body.Length);

        using var withLength = new ByteArrayContent(body);
        withLength.Headers.ContentType = new("application/json");
        var lengthUnits = await WriteUnitsOfAsync(platform, tenantId, () => http.PostAsync(new Uri("/v1/collections/docs/points", UriKind.Relative), withLength));

        using var chunked = new StreamContent(new UnseekableStream(body));
        chunked.Headers.ContentType = new("application/json");
        Assert.Null(chunked.Headers.ContentLength); // sent with Transfer-Encoding: chunked
        var chunkedUnits = await WriteUnitsOfAsync(platform, tenantId, () => http.PostAsync(new Uri("/v1/collections/docs/points", UriKind.Relative), chunked));

        Assert.Equal(expected, lengthUnits);
        Assert.Equal(expected, chunkedUnits);
    }

    [Fact]
    public async Task ALargeScroll_CostsMoreReadUnitsThanASmallOne_OnePerStarted64KiB()
    {
        await using var platform = await PlatformHost.StartAsync(postgres);
        var (tenantId, key) = await platform.TenantWithKeyAsync("scrolled");
        using var http = platform.Client(key);
        await WaitRoutedAsync(http);
        (await http.PutAsJsonAsync("/v1/collections/docs", new { dimension = 64 })).EnsureSuccessStatusCode();
        var random = new Random(64);
        var points = Enumerable.Range(0, 1000).Select(i => new { id = $"p{i:D4}", vector = Enumerable.Range(0, 64).Select(_ => random.NextSingle()).ToArray() }).ToArray();
        (await http.PostAsJsonAsync("/v1/collections/docs/points", new { points })).EnsureSuccessStatusCode();

        var (smallUnits, smallBytes, smallHeader) = await ScrollAsync(platform, tenantId, http, limit: 1);
        var (largeUnits, largeBytes, _) = await ScrollAsync(platform, tenantId, http, limit: 1000);

        Assert.True(largeBytes > 4 * UsageMeter.ReadUnitBytes, $"the large answer is only {largeBytes} bytes");
        Assert.Equal(1, smallUnits);
        Assert.Equal((largeBytes + UsageMeter.ReadUnitBytes - 1) / UsageMeter.ReadUnitBytes, largeUnits);
        Assert.Equal(UsageMeter.ReadUnitsFor(smallBytes), smallUnits);
        Assert.True(largeUnits > smallUnits);
        Assert.Equal("read=1", smallHeader); // an answer whose length is known as it starts says what it cost
    }

    private static async Task<(long Units, long Bytes, string? Header)> ScrollAsync(PlatformHost platform, string tenantId, HttpClient http, int limit)
    {
        await platform.ReportUsageAsync();
        var before = (await UsageAsync(platform, tenantId))["read_units"]!.GetValue<long>();
        using var response = await http.PostAsJsonAsync("/v1/collections/docs/scroll", new { limit, include_vector = true });
        response.EnsureSuccessStatusCode();
        var bytes = (await response.Content.ReadAsByteArrayAsync()).LongLength;
        var header = response.Headers.TryGetValues(RequestBilling.UnitsHeader, out var values) ? values.Single() : null;
        await platform.ReportUsageAsync();
        return ((await UsageAsync(platform, tenantId))["read_units"]!.GetValue<long>() - before, bytes, header);
    }

    private static async Task<long> WriteUnitsOfAsync(PlatformHost platform, string tenantId, Func<Task<HttpResponseMessage>> send)
    {
        await platform.ReportUsageAsync();
        var before = (await UsageAsync(platform, tenantId))["write_units"]!.GetValue<long>();
        using (var response = await send())
        {
            Assert.True(response.IsSuccessStatusCode, $"{(int)response.StatusCode} {await response.Content.ReadAsStringAsync()}");
            await platform.ReportUsageAsync();
            var billed = (await UsageAsync(platform, tenantId))["write_units"]!.GetValue<long>() - before;
            Assert.Equal($"write={billed}", response.Headers.GetValues(RequestBilling.UnitsHeader).Single());
            return billed;
        }
    }

    private static async Task<JsonObject> UsageAsync(PlatformHost platform, string tenantId)
    {
        using var admin = await platform.ControlPlane.ClientAsync(platform.ControlPlane.Operator);
        return (await admin.GetFromJsonAsync<JsonObject>($"/v1/tenants/{tenantId}/usage"))!;
    }

    /// <summary>A body HttpClient cannot know the length of, so it goes chunked.</summary>
    private sealed class UnseekableStream(byte[] data) : MemoryStream(data, writable: false)
    {
        public override bool CanSeek => false;
    }
}
