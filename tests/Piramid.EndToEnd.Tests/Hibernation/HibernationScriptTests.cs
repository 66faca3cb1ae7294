using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using Piramid.EndToEnd.Tests.Support;

namespace Piramid.EndToEnd.Tests.Hibernation;

/// <summary>Scale to zero on the platform <c>./piramid up</c> starts: a hibernated tenant survives <c>down</c> and <c>up</c>.</summary>
[Collection(PlatformCollection.Name)]
public sealed class HibernationScriptTests(LocalPlatform platform)
{
    [Fact]
    public async Task HibernatedTenant_StaysHibernatingThroughDownAndUp_AndItsFirstRequestWakesItWithItsData()
    {
        using var admin = await platform.OperatorAsync();
        (await admin.PutAsJsonAsync("/v1/plans/e2e-nap", new
        {
            name = "E2E nap",
            max_collections = 5,
            max_points = 100_000,
            max_storage_bytes = 1L << 30,
            max_dimension = 64,
            read_rate_per_second = 1000,
            read_burst = 1000,
            write_rate_per_second = 1000,
            write_burst = 1000,
            monthly_read_units = 1_000_000,
            monthly_write_units = 1_000_000,
            hibernate_after_seconds = 2,
        })).EnsureSuccessStatusCode();
        using var created = await admin.PostAsJsonAsync("/v1/tenants", new { name = "e2e-sleeper", plan = "e2e-nap" });
        created.EnsureSuccessStatusCode();
        var tenantId = (await created.Content.ReadFromJsonAsync<JsonObject>())!["id"]!.GetValue<string>();
        using var key = await admin.PostAsJsonAsync($"/v1/tenants/{tenantId}/api-keys", new { name = "e2e", role = "admin" });
        key.EnsureSuccessStatusCode();
        using var http = platform.Tenant((await key.Content.ReadFromJsonAsync<JsonObject>())!["key"]!.GetValue<string>());
        await Eventually.SucceedsAsync(http, "/v1/collections", TimeSpan.FromSeconds(30));
        (await http.PutAsJsonAsync("/v1/collections/naps", new { dimension = 2 })).EnsureSuccessStatusCode();
        var points = Enumerable.Range(0, 100).Select(i => new { id = $"n{i}", vector = new[] { 1f, i } });
        (await http.PostAsJsonAsync("/v1/collections/naps/points", new { points })).EnsureSuccessStatusCode();

        await WaitHibernatedAsync(admin, tenantId);
        await platform.DownAsync();
        await platform.UpAsync();

        using var again = await platform.OperatorAsync();
        Assert.Equal("hibernating", await EngineStateAsync(again, tenantId));
        Assert.Null(platform.EnginePid(tenantId));
        using var count = await http.PostAsJsonAsync("/v1/collections/naps/count", new { });
        Assert.Equal(HttpStatusCode.OK, count.StatusCode);
        Assert.Equal(100, (await count.Content.ReadFromJsonAsync<JsonObject>())!["count"]!.GetValue<long>());
        Assert.Equal("running", await EngineStateAsync(again, tenantId));
        Assert.NotNull(platform.EnginePid(tenantId));
    }

    private async Task WaitHibernatedAsync(HttpClient admin, string tenantId)
    {
        var deadline = DateTime.UtcNow.AddSeconds(60);
        while (await EngineStateAsync(admin, tenantId) != "hibernating" || platform.EnginePid(tenantId) is not null)
        {
            Assert.True(DateTime.UtcNow < deadline, "the tenant did not hibernate within 60 s");
            await Task.Delay(100);
        }
    }

    private static async Task<string?> EngineStateAsync(HttpClient admin, string tenantId) =>
        (await admin.GetFromJsonAsync<JsonObject>($"/v1/tenants/{tenantId}"))!["engine_state"]?.GetValue<string>();
}
