using System.Net.Http.Json;
using Microsoft.EntityFrameworkCore;
using Piramid.ControlPlane.Data;
using Piramid.ControlPlane.Observability;
using Piramid.Gateway.Tests.Support;
using Piramid.TestKit.Platform;

namespace Piramid.Gateway.Tests.Hibernation;

/// <summary>
/// A hibernated tenant's data stays on disk: its storage keeps being billed and charted, at the size last sampled; real
/// AOT engines, PostgreSQL and the gateway on loopback.
/// </summary>
[Collection(GatewayCollection.Name)]
public sealed class HibernatedStorageTests(PostgresFixture postgres)
{
    private static readonly TimeSpan Within = TimeSpan.FromSeconds(40);

    [Fact]
    public async Task AHibernatedTenantsStorage_KeepsAccruingByteSeconds_AndStaysOnTheCharts()
    {
        await using var platform = await Sleepers.StartAsync(postgres, TimeSpan.FromMilliseconds(200), controlPlaneSettings: new Dictionary<string, string?>
        {
            ["Billing:StorageSampleInterval"] = "00:00:00.500",
            ["Billing:MaxSampleGap"] = "00:00:01",
            ["RequestMetrics:SampleInterval"] = "00:00:01",
        });
        var (tenantId, key) = await Sleepers.TenantAsync(platform, "stored", idleSeconds: 3);
        using (var client = platform.Client(key))
        {
            (await client.PutAsJsonAsync("/v1/collections/docs", new { dimension = 4 })).EnsureSuccessStatusCode();
            (await client.PostAsJsonAsync("/v1/collections/docs/points", Sleepers.Points(Enumerable.Range(0, 200).Select(i => $"p{i}")))).EnsureSuccessStatusCode();
        }

        await Sleepers.WaitHibernatedAsync(platform, tenantId, Within);
        var charts = platform.ControlPlane.App.Services.GetRequiredService<EngineSampler>();
        var sampled = await QueryAsync(platform, db => db.StorageSamples.AsNoTracking().SingleAsync(s => s.TenantId == tenantId));
        Assert.True(sampled.Bytes > 0, "the engine's storage was sampled while it ran");

        // Billing: more than 2 s at the sampled size accrue while it sleeps (the 1 s gap cap would stop a flat count).
        var before = await ByteSecondsAsync(platform, tenantId);
        var deadline = DateTime.UtcNow + Within;
        while (await ByteSecondsAsync(platform, tenantId) < before + (2 * sampled.Bytes))
        {
            Assert.True(DateTime.UtcNow < deadline, $"storage of the hibernated tenant stopped accruing at {before} byte-seconds");
            await Task.Delay(100);
        }

        Assert.Equal(Piramid.Contracts.Admin.RouteStates.Hibernating, await Sleepers.EngineStateAsync(platform, tenantId));

        // Charts: only the last minute with storage is kept, moved a minute back; a sample now carries that storage
        // into a later minute, without memory.
        await QueryAsync(platform, db => db.Database.ExecuteSqlInterpolatedAsync(
            $"DELETE FROM request_minutes WHERE tenant_id = {tenantId} AND minute <> (SELECT max(minute) FROM request_minutes WHERE tenant_id = {tenantId} AND storage_bytes IS NOT NULL)"));
        await QueryAsync(platform, db => db.Database.ExecuteSqlInterpolatedAsync(
            $"UPDATE request_minutes SET minute = minute - interval '1 minute' WHERE tenant_id = {tenantId}"));
        var ran = await QueryAsync(platform, db => db.Database
            .SqlQuery<long?>($"SELECT storage_bytes AS \"Value\" FROM request_minutes WHERE tenant_id = {tenantId}").SingleAsync());
        Assert.NotNull(ran);
        await charts.SampleAllAsync(CancellationToken.None);
        var storage = await QueryAsync(platform, db => db.Database
            .SqlQuery<long?>($"SELECT storage_bytes AS \"Value\" FROM request_minutes WHERE tenant_id = {tenantId} ORDER BY minute").ToListAsync());
        var memory = await QueryAsync(platform, db => db.Database
            .SqlQuery<long?>($"SELECT memory_bytes AS \"Value\" FROM request_minutes WHERE tenant_id = {tenantId} ORDER BY minute DESC LIMIT 1").SingleAsync());
        Assert.True(storage.Count >= 2, $"no minute after the hibernation holds the tenant's storage: {storage.Count} rows");
        Assert.All(storage, bytes => Assert.Equal(ran, bytes));
        Assert.Null(memory);
    }

    private static Task<long> ByteSecondsAsync(PlatformHost platform, string tenantId) =>
        QueryAsync(platform, db => db.UsageRecords.Where(u => u.TenantId == tenantId).SumAsync(u => u.StorageByteSeconds));

    private static async Task<T> QueryAsync<T>(PlatformHost platform, Func<ControlPlaneDbContext, Task<T>> query)
    {
        await using var scope = platform.ControlPlane.App.Services.CreateAsyncScope();
        return await query(scope.ServiceProvider.GetRequiredService<ControlPlaneDbContext>());
    }
}
