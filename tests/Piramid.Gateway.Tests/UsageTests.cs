using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using Microsoft.Extensions.DependencyInjection;
using Piramid.Contracts;
using Piramid.Contracts.Admin;
using Piramid.Contracts.Problems;
using Piramid.Gateway.ControlPlane;
using Piramid.Gateway.Tests.Support;
using Piramid.TestKit.Platform;
using static Piramid.Gateway.Tests.Support.Probe;

namespace Piramid.Gateway.Tests;

/// <summary>Usage is counted at the gateway, reported in batches, stored in PostgreSQL and enforced as monthly quotas.</summary>
[Collection(GatewayCollection.Name)]
public sealed class UsageTests(PostgresFixture postgres)
{
    [Fact]
    public async Task SuccessfulRequests_AreCountedExactly_AndSurviveAControlPlaneOutage()
    {
        await using var platform = await PlatformHost.StartAsync(postgres);
        var (tenantId, key) = await platform.TenantWithKeyAsync("metered");
        using var http = platform.Client(key);
        await WaitRoutedAsync(http);
        (await http.PutAsJsonAsync("/v1/collections/docs", new { dimension = 2 })).EnsureSuccessStatusCode();
        await platform.ReportUsageAsync();
        var before = await UsageAsync(platform, tenantId);

        // 3 reads, 1 write of about 2.4 KiB (3 write units), 1 failed read (not billed).
        var body = new string(' ', 2400);
        using var upsert = new StringContent($"{{\"points\":[{{\"id\":\"a\",\"vector\":[1,2]}}]{body}}}", System.Text.Encoding.UTF8, "application/json");
        var expectedWriteUnits = ((await upsert.ReadAsByteArrayAsync()).Length + 1023) / 1024;
        Assert.Equal(3, expectedWriteUnits);
        (await http.PostAsync(new Uri("/v1/collections/docs/points", UriKind.Relative), upsert)).EnsureSuccessStatusCode();
        (await http.GetAsync(new Uri("/v1/collections", UriKind.Relative))).EnsureSuccessStatusCode();
        (await http.PostAsJsonAsync("/v1/collections/docs/search", new { vector = new[] { 1f, 2f } })).EnsureSuccessStatusCode();
        (await http.PostAsJsonAsync("/v1/collections/docs/count", new { })).EnsureSuccessStatusCode();
        Assert.Equal(HttpStatusCode.NotFound, (await http.GetAsync(new Uri("/v1/collections/missing", UriKind.Relative))).StatusCode);

        // The control plane is away when the report is due: the report is kept, not lost.
        await platform.ControlPlane.App.StopAsync();
        await platform.ReportUsageAsync();
        await platform.ControlPlane.RestartAsync();
        await platform.ReportUsageAsync();

        var after = await UsageAsync(platform, tenantId);
        Assert.Equal(3, after["read_units"]!.GetValue<long>() - before["read_units"]!.GetValue<long>());
        Assert.Equal(expectedWriteUnits, after["write_units"]!.GetValue<long>() - before["write_units"]!.GetValue<long>());
        var today = DateOnly.FromDateTime(DateTime.UtcNow).ToString("yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture);
        Assert.Equal(today, after["days"]!.AsArray()[^1]!["day"]!.GetValue<string>());
        Assert.Equal(1_000_000, after["monthly_read_units_quota"]!.GetValue<long>());
    }

    [Fact]
    public async Task MonthlyQuota_RefusesWith403QuotaExceeded_AndHoldsAcrossAGatewayRestart()
    {
        // Reports only when the test sends them, so what a gateway knows at each step is fixed, not a race with a timer.
        await using var platform = await PlatformHost.StartAsync(postgres, new Dictionary<string, string?> { ["Gateway:UsageReportInterval"] = "01:00:00" });
        using (var admin = await platform.ControlPlane.ClientAsync(platform.ControlPlane.Operator))
        {
            (await admin.PutAsJsonAsync("/v1/plans/tiny", new
            {
                max_collections = 5,
                max_points = 1000,
                max_storage_bytes = 10_000_000,
                max_dimension = 16,
                read_rate_per_second = 100,
                read_burst = 100,
                write_rate_per_second = 100,
                write_burst = 100,
                monthly_read_units = 8,
                monthly_write_units = 1000,
            })).EnsureSuccessStatusCode();
        }

        var (_, key) = await platform.TenantWithKeyAsync("tiny-tenant", plan: "tiny");
        using var http = platform.Client(key);
        await WaitRoutedAsync(http); // one or more billed reads
        (await http.PutAsJsonAsync("/v1/collections/docs", new { dimension = 2 })).EnsureSuccessStatusCode();

        var admitted = 1;
        while (true)
        {
            using var response = await http.GetAsync(new Uri("/v1/collections", UriKind.Relative));
            if (response.StatusCode != HttpStatusCode.OK)
            {
                var problem = JsonNode.Parse(await response.Content.ReadAsStringAsync())!;
                Assert.Equal(HttpStatusCode.Forbidden, response.StatusCode);
                Assert.Equal(ProblemTypes.QuotaExceeded, problem["type"]!.GetValue<string>());
                Assert.Equal("monthly_read_units", problem["quota"]!.GetValue<string>());
                break;
            }

            admitted++;
            Assert.True(admitted <= 8, "the read quota let more than 8 reads through");
        }

        // Writes have their own quota.
        (await http.PostAsJsonAsync("/v1/collections/docs/points", new { points = new[] { new { id = "a", vector = new[] { 1f, 2f } } } })).EnsureSuccessStatusCode();

        // A new gateway knows only its own count until its first report, then refuses again.
        await platform.ReportUsageAsync();
        await platform.RestartGatewayAsync();
        using var again = platform.Client(key);
        Assert.Equal(HttpStatusCode.OK, (await again.GetAsync(new Uri("/v1/collections", UriKind.Relative))).StatusCode);
        await platform.ReportUsageAsync(); // its answer carries the month's totals
        using var refused = await again.GetAsync(new Uri("/v1/collections", UriKind.Relative));
        Assert.Equal(HttpStatusCode.Forbidden, refused.StatusCode);
        Assert.Equal(ProblemTypes.QuotaExceeded, JsonNode.Parse(await refused.Content.ReadAsStringAsync())!["type"]!.GetValue<string>());
    }

    [Fact]
    public async Task AuthFailures_AreAudited_WithoutSecrets_AndTheAuditExportsAsNdjson()
    {
        await using var platform = await PlatformHost.StartAsync(postgres);
        var (tenantId, key) = await platform.TenantWithKeyAsync("audited");
        var keyId = key.Split('_')[1];
        var wrongSecret = $"pk_{keyId}_{new string('Q', 43)}";
        string refusedId;
        using (var bad = platform.Client(wrongSecret))
        {
            using var refused = await bad.GetAsync(new Uri("/v1/collections", UriKind.Relative));
            Assert.Equal(HttpStatusCode.Unauthorized, refused.StatusCode);
            refusedId = refused.Headers.GetValues(HeaderNames.RequestId).Single();
        }

        // A valid key of the wrong kind for the route: a 403, audited the same way with its request id.
        string forbiddenId;
        using (var valid = platform.Client(key))
        {
            using var forbidden = await valid.GetAsync(new Uri("/v1/tenants", UriKind.Relative));
            Assert.Equal(HttpStatusCode.Forbidden, forbidden.StatusCode);
            forbiddenId = forbidden.Headers.GetValues(HeaderNames.RequestId).Single();
        }

        using (var garbage = platform.Client("not-a-key"))
        {
            Assert.Equal(HttpStatusCode.Unauthorized, (await garbage.GetAsync(new Uri("/v1/collections", UriKind.Relative))).StatusCode);
        }

        await platform.ReportUsageAsync();
        using var admin = await platform.ControlPlane.ClientAsync(platform.ControlPlane.Operator);
        var page = await admin.GetFromJsonAsync<JsonObject>($"/v1/tenants/{tenantId}/audit");
        var actions = page!["events"]!.AsArray().Select(e => e!["action"]!.GetValue<string>()).ToList();
        Assert.Contains("tenant.create", actions);
        Assert.Contains("api_key.create", actions);
        var failures = page["events"]!.AsArray().Where(e => e!["action"]!.GetValue<string>() == "auth.failed").ToList();
        var failure = failures.Single(e => e!["after"]!["reason"]!.GetValue<string>() == "invalid")!;
        Assert.Equal(keyId, failure["target_id"]!.GetValue<string>());
        Assert.Equal("127.0.0.1", failure["after"]!["remote_address"]!.GetValue<string>());
        Assert.Equal(1, failure["after"]!["count"]!.GetValue<long>());
        Assert.Equal(refusedId, failure["request_id"]!.GetValue<string>());
        var refusal = failures.Single(e => e!["after"]!["reason"]!.GetValue<string>() == "forbidden")!;
        Assert.Equal(keyId, refusal["target_id"]!.GetValue<string>());
        Assert.Equal(forbiddenId, refusal["request_id"]!.GetValue<string>());

        using var export = new HttpRequestMessage(HttpMethod.Get, new Uri($"/v1/tenants/{tenantId}/audit", UriKind.Relative));
        export.Headers.Accept.ParseAdd("application/x-ndjson");
        using var response = await admin.SendAsync(export);
        Assert.Equal("application/x-ndjson", response.Content.Headers.ContentType?.MediaType);
        var lines = (await response.Content.ReadAsStringAsync()).Split('\n', StringSplitOptions.RemoveEmptyEntries);
        // Every event, then the signed anchors of the engine's audit head (docs/API.md, "Audit").
        var events = lines.Where(l => JsonNode.Parse(l)!["anchor"] is null).ToList();
        Assert.Equal(page["events"]!.AsArray().Count, events.Count);
        Assert.All(events, l => Assert.NotNull(JsonNode.Parse(l)!["action"]));
        Assert.All(lines.Except(events), l => Assert.NotNull(JsonNode.Parse(l)!["anchor"]!["signature"]));
        var all = string.Join('\n', lines);
        Assert.DoesNotContain(key[(key.IndexOf('_', 3) + 1)..], all, StringComparison.Ordinal); // the secret may itself hold '_'
        Assert.DoesNotContain(new string('Q', 43), all, StringComparison.Ordinal);
    }

    [Fact]
    public async Task UsageAndAudit_BadInput_Is4xx()
    {
        await using var platform = await PlatformHost.StartAsync(postgres);
        var (tenantId, _) = await platform.TenantWithKeyAsync("ranges");
        using var admin = await platform.ControlPlane.ClientAsync(platform.ControlPlane.Operator);
        Assert.Equal(HttpStatusCode.BadRequest, (await admin.GetAsync(new Uri($"/v1/tenants/{tenantId}/usage?from=2026-05-02&to=2026-05-01", UriKind.Relative))).StatusCode);
        Assert.Equal(HttpStatusCode.BadRequest, (await admin.GetAsync(new Uri($"/v1/tenants/{tenantId}/usage?from=yesterday", UriKind.Relative))).StatusCode);
        Assert.Equal(HttpStatusCode.BadRequest, (await admin.GetAsync(new Uri($"/v1/tenants/{tenantId}/usage?from=2020-01-01&to=2026-01-01", UriKind.Relative))).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await admin.GetAsync(new Uri("/v1/tenants/nope/usage", UriKind.Relative))).StatusCode);
        Assert.Equal(HttpStatusCode.BadRequest, (await admin.GetAsync(new Uri($"/v1/tenants/{tenantId}/audit?limit=0", UriKind.Relative))).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await admin.GetAsync(new Uri("/v1/tenants/nope/audit", UriKind.Relative))).StatusCode);
    }

    // A gateway that got no answer sends the same report again: the control plane applies it once.
    [Fact]
    public async Task AReportSentTwice_IsAppliedOnce_AndAMalformedIdIsRefused()
    {
        await using var platform = await PlatformHost.StartAsync(postgres);
        var (tenantId, _) = await platform.TenantWithKeyAsync("resent");
        var controlPlane = platform.Gateway.Services.GetRequiredService<ControlPlaneClient>();
        var before = await UsageAsync(platform, tenantId);
        UsageReport Report(string? id) => new()
        {
            Id = id,
            Usage = [new UsageDelta { TenantId = tenantId, Day = DateOnly.FromDateTime(DateTime.UtcNow), ReadUnits = 5, WriteUnits = 2 }],
        };

        var first = await controlPlane.ReportUsageAsync(Report("r-1"), CancellationToken.None);
        var again = await controlPlane.ReportUsageAsync(Report("r-1"), CancellationToken.None);
        Assert.Equal(first.Months.Single().ReadUnits, again.Months.Single().ReadUnits);
        await controlPlane.ReportUsageAsync(Report("r-2"), CancellationToken.None);

        var after = await UsageAsync(platform, tenantId);
        Assert.Equal(10, after["read_units"]!.GetValue<long>() - before["read_units"]!.GetValue<long>());
        Assert.Equal(4, after["write_units"]!.GetValue<long>() - before["write_units"]!.GetValue<long>());

        var refused = await Assert.ThrowsAsync<HttpRequestException>(() => controlPlane.ReportUsageAsync(Report("not an id"), CancellationToken.None));
        Assert.Equal(HttpStatusCode.BadRequest, refused.StatusCode);
        Assert.Equal(after["read_units"]!.GetValue<long>(), (await UsageAsync(platform, tenantId))["read_units"]!.GetValue<long>());
    }

    // Validated whole: one bad entry refuses the report, and nothing of it is filed.
    [Fact]
    public async Task AnAuthFailureReport_WithAMalformedEntry_Is400_AndFilesNothing()
    {
        await using var platform = await PlatformHost.StartAsync(postgres);
        var (tenantId, key) = await platform.TenantWithKeyAsync("failures-validated");
        var keyId = key.Split('_')[1];
        var controlPlane = platform.Gateway.Services.GetRequiredService<ControlPlaneClient>();
        var now = DateTimeOffset.UtcNow;
        AuthFailureCount Entry(long count, string? address = "203.0.113.9") =>
            new() { Reason = "invalid", KeyId = keyId, RemoteAddress = address, Count = count, FirstSeen = now, LastSeen = now };

        foreach (var bad in new[] { Entry(0), Entry(1, new string('9', 65)) })
        {
            var refused = await Assert.ThrowsAsync<HttpRequestException>(() =>
                controlPlane.ReportAuthFailuresAsync(new AuthFailureReport { Entries = [Entry(7), bad] }, CancellationToken.None));
            Assert.Equal(HttpStatusCode.BadRequest, refused.StatusCode);
        }

        await controlPlane.ReportAuthFailuresAsync(new AuthFailureReport { Entries = [Entry(7)], Others = 3 }, CancellationToken.None);
        using var admin = await platform.ControlPlane.ClientAsync(platform.ControlPlane.Operator);
        var page = await admin.GetFromJsonAsync<JsonObject>($"/v1/tenants/{tenantId}/audit");
        var failure = page!["events"]!.AsArray().Single(e => e!["action"]!.GetValue<string>() == "auth.failed")!;
        Assert.Equal(7, failure["after"]!["count"]!.GetValue<long>());
        Assert.Equal("203.0.113.9", failure["after"]!["remote_address"]!.GetValue<string>());
    }

    private static async Task<JsonObject> UsageAsync(PlatformHost platform, string tenantId)
    {
        using var admin = await platform.ControlPlane.ClientAsync(platform.ControlPlane.Operator);
        return (await admin.GetFromJsonAsync<JsonObject>($"/v1/tenants/{tenantId}/usage"))!;
    }
}
