using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using Microsoft.EntityFrameworkCore;
using Piramid.ControlPlane.Data;
using Piramid.ControlPlane.Tests.Support;
using Piramid.TestKit.Platform;

namespace Piramid.ControlPlane.Tests.AuditSinks;

/// <summary>
/// First PUTs of a tenant's sink sent at once all succeed (they take turns on the tenant's row): one sink, its version
/// counting every PUT, never a 500 from the unique key. Real HTTP and PostgreSQL.
/// </summary>
[Collection(PostgresCollection.Name)]
public sealed class ConcurrentSinkPutTests(PostgresFixture postgres)
{
    [Fact]
    public async Task ConcurrentFirstPuts_AllSucceed_AndLeaveOneSink()
    {
        await using var host = await ControlPlaneHost.StartAsync(postgres, new Dictionary<string, string?>
        {
            ["AuditSinks:PollInterval"] = "01:00:00",
            ["AuditSinks:AllowPrivateAddresses"] = "true",
        });
        using var admin = await host.ClientAsync(host.Operator);
        const int Puts = 12;
        for (var round = 0; round < 3; round++)
        {
            using var created = await admin.PostAsJsonAsync("/v1/tenants", new { name = $"sink-put-{round}" });
            created.EnsureSuccessStatusCode();
            var tenant = (string)(await created.Content.ReadFromJsonAsync<JsonObject>())!["id"]!;
            var start = new TaskCompletionSource();
            var puts = Enumerable.Range(0, Puts).Select(async i =>
            {
                await start.Task;
                using var response = await admin.PutAsJsonAsync($"/v1/tenants/{tenant}/audit/sink", new { kind = "syslog", host = "127.0.0.1", port = 10_000 + i });
                return (response.StatusCode, await response.Content.ReadAsStringAsync());
            }).ToList();
            start.SetResult();
            var answers = await Task.WhenAll(puts);
            Assert.All(answers, a => Assert.True(a.StatusCode == HttpStatusCode.OK, $"{a.StatusCode}: {a.Item2}"));

            await using var scope = host.App.Services.CreateAsyncScope();
            var db = scope.ServiceProvider.GetRequiredService<ControlPlaneDbContext>();
            var sink = await db.AuditSinks.AsNoTracking().SingleAsync(s => s.TenantId == tenant);
            Assert.Equal(Puts, sink.Version);
        }
    }
}
