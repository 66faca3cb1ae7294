using System.Net.Http.Json;
using System.Text.Json.Nodes;
using Piramid.Gateway.Tests.Support;
using Piramid.TestKit.Platform;

namespace Piramid.Gateway.Tests;

/// <summary>A key's <c>last_used_at</c>: recorded in memory at the gateway, stored by the usage report's timer.</summary>
[Collection(GatewayCollection.Name)]
public sealed class KeyLastUsedTests(PostgresFixture postgres)
{
    [Fact]
    public async Task AKeyUsedThroughTheGateway_ShowsLastUsedAfterTheReport_AndAnUnusedKeyShowsNull()
    {
        // Reports only when the test sends them: nothing reaches the control plane between the use and the report.
        await using var platform = await PlatformHost.StartAsync(postgres, new Dictionary<string, string?> { ["Gateway:UsageReportInterval"] = "01:00:00" });
        var (tenantId, key) = await platform.TenantWithKeyAsync("last-used");
        await platform.KeyAsync(tenantId, "read_only");
        var usedId = key.Split('_')[1];

        var before = DateTimeOffset.UtcNow;
        using var http = platform.Client(key);
        (await http.GetAsync(new Uri("/v1/api-keys", UriKind.Relative))).EnsureSuccessStatusCode();

        // Not written per request: nothing stored until the report.
        Assert.All(await KeysAsync(platform, tenantId), k => Assert.Null(k["last_used_at"]));

        await platform.ReportUsageAsync();
        var after = DateTimeOffset.UtcNow;
        var keys = await KeysAsync(platform, tenantId);
        var used = keys.Single(k => k["id"]!.GetValue<string>() == usedId)["last_used_at"]!.GetValue<DateTimeOffset>();
        Assert.Equal(0, used.Second);
        Assert.Equal(0, used.Millisecond);
        Assert.InRange(used, before.AddMinutes(-1), after);
        Assert.Null(keys.Single(k => k["id"]!.GetValue<string>() != usedId)["last_used_at"]);
    }

    private static async Task<JsonObject[]> KeysAsync(PlatformHost platform, string tenantId)
    {
        using var admin = await platform.ControlPlane.ClientAsync(platform.ControlPlane.Operator);
        var list = await admin.GetFromJsonAsync<JsonObject>($"/v1/tenants/{tenantId}/api-keys");
        return [.. list!["api_keys"]!.AsArray().Select(k => k!.AsObject())];
    }
}
