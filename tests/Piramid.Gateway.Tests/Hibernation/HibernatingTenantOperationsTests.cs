using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using Piramid.Gateway.Tests.Support;
using Piramid.TestKit.Platform;

namespace Piramid.Gateway.Tests.Hibernation;

/// <summary>
/// The control plane's own uses of a hibernating tenant's engine (a backup, an audit read) wake it with the gateway's
/// idempotent wake instead of answering 503, with real engines, PostgreSQL and the gateway on loopback.
/// </summary>
[Collection(GatewayCollection.Name)]
public sealed class HibernatingTenantOperationsTests(PostgresFixture postgres)
{
    private static readonly TimeSpan Within = TimeSpan.FromSeconds(60);

    [Fact]
    public async Task ABackupAndAnAuditRead_OfAHibernatingTenant_WakeItsEngine_AndSucceed()
    {
        await using var platform = await Sleepers.StartAsync(postgres, TimeSpan.FromMilliseconds(200));
        var (tenantId, key) = await Sleepers.TenantAsync(platform, "backed-sleeper", idleSeconds: 1);
        using (var client = platform.Client(key))
        {
            (await client.PutAsJsonAsync("/v1/collections/docs", new { dimension = 4 })).EnsureSuccessStatusCode();
            (await client.PostAsJsonAsync("/v1/collections/docs/points", Sleepers.Points(["a", "b", "c"]))).EnsureSuccessStatusCode();
        }

        await Sleepers.WaitHibernatedAsync(platform, tenantId, Within);
        var starts = Sleepers.ReadyStarts(platform, tenantId);
        using var admin = await platform.ControlPlane.ClientAsync(platform.ControlPlane.Operator);

        var operation = await RunOperationAsync(admin, $"/v1/tenants/{tenantId}/backups");
        Assert.True(operation["state"]!.GetValue<string>() == "succeeded", $"the backup of a hibernating tenant: {operation}");
        Assert.Equal(starts + 1, Sleepers.ReadyStarts(platform, tenantId));
        var backups = await admin.GetFromJsonAsync<JsonObject>($"/v1/tenants/{tenantId}/backups");
        Assert.Single(backups!["backups"]!.AsArray());

        // Asleep again once the backup is over: it kept the engine awake only while it ran.
        await Sleepers.WaitHibernatedAsync(platform, tenantId, Within);
        using var audit = await admin.GetAsync(new Uri($"/v1/tenants/{tenantId}/audit", UriKind.Relative));
        var body = await audit.Content.ReadAsStringAsync();
        Assert.True(audit.StatusCode == HttpStatusCode.OK, $"the audit read of a hibernating tenant: {(int)audit.StatusCode} {body}");
        Assert.Contains(JsonNode.Parse(body)!["events"]!.AsArray(), e => e!["action"]!.GetValue<string>() == "points.upsert");
        Assert.Equal(starts + 2, Sleepers.ReadyStarts(platform, tenantId));
    }

    private static async Task<JsonObject> RunOperationAsync(HttpClient admin, string path)
    {
        using var response = await admin.PostAsJsonAsync(new Uri(path, UriKind.Relative), new { });
        var accepted = await response.Content.ReadFromJsonAsync<JsonObject>();
        Assert.True(response.StatusCode == HttpStatusCode.Accepted, $"{path}: {(int)response.StatusCode} {accepted}");
        var location = response.Headers.Location!;
        var deadline = DateTime.UtcNow + Within;
        while (true)
        {
            var operation = (await admin.GetFromJsonAsync<JsonObject>(location))!;
            if (operation["state"]!.GetValue<string>() is "succeeded" or "failed")
            {
                return operation;
            }

            Assert.True(DateTime.UtcNow < deadline, $"{path} did not finish: {operation}");
            await Task.Delay(100);
        }
    }
}
