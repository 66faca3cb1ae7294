using System.Net.Http.Json;
using System.Text.Json.Nodes;
using Piramid.Contracts.Identity;
using Piramid.Contracts.Routes;
using Piramid.Gateway.Tests.Support;
using Piramid.Gateway.Usage;
using Piramid.TestKit.Platform;
using static Piramid.Gateway.Tests.Support.Probe;

namespace Piramid.Gateway.Tests;

/// <summary>
/// Every read route of the route table, called through the real gateway with a read_only key, is admitted and
/// billed as a read: a new read endpoint cannot be refused to read-only keys or billed as a write unnoticed.
/// </summary>
[Collection(GatewayCollection.Name)]
public sealed class ReadRouteBillingTests(PostgresFixture postgres)
{
    // A valid body for each read route (null: none). A read route added to the table without one fails the test.
    private static readonly Dictionary<string, object?> Bodies = new(StringComparer.Ordinal)
    {
        [PublicRoutes.CollectionsList.Name] = null,
        [PublicRoutes.CollectionsDescribe.Name] = null,
        [PublicRoutes.PointsGet.Name] = null,
        [PublicRoutes.PointsGetMany.Name] = new { ids = new[] { "p/1" } },
        [PublicRoutes.Search.Name] = new { vector = new[] { 1f, 2f } },
        [PublicRoutes.SearchBatch.Name] = new { searches = new[] { new { vector = new[] { 1f, 2f } } } },
        [PublicRoutes.SearchGroups.Name] = new { vector = new[] { 1f, 2f }, group_by = "kind" },
        [PublicRoutes.Recommend.Name] = new { positive = new[] { "p/1" } },
        [PublicRoutes.Scroll.Name] = new { },
        [PublicRoutes.Count.Name] = new { },
    };

    [Fact]
    public async Task EveryReadRoute_AdmitsAReadOnlyKey_AndBillsReadUnitsOnly()
    {
        var reads = PublicRoutes.Engine.Where(r => r.Units == UnitKind.Read).ToList();
        Assert.All(reads, r => Assert.True(Bodies.ContainsKey(r.Name), $"{r} has no sample request in this test"));
        Assert.True(reads.Count >= 10, $"only {reads.Count} read routes");

        await using var platform = await PlatformHost.StartAsync(postgres);
        var (tenantId, adminKey) = await platform.TenantWithKeyAsync("reader-billing");
        using var admin = platform.Client(adminKey);
        await WaitRoutedAsync(admin);
        (await admin.PutAsJsonAsync("/v1/collections/docs", new { dimension = 2 })).EnsureSuccessStatusCode();
        (await admin.PostAsJsonAsync("/v1/collections/docs/points", new { points = new[] { new { id = "p/1", vector = new[] { 1f, 2f }, metadata = new { kind = "a" } } } })).EnsureSuccessStatusCode();
        using var reader = platform.Client(await platform.KeyAsync(tenantId, Roles.ReadOnly));
        await platform.ReportUsageAsync();
        var before = await UsageAsync(platform, tenantId);

        foreach (var route in reads)
        {
            var path = route.Template.Replace("{name}", "docs", StringComparison.Ordinal).Replace("{id}", Uri.EscapeDataString("p/1"), StringComparison.Ordinal);
            using var request = new HttpRequestMessage(new HttpMethod(route.Method), new Uri(path, UriKind.Relative));
            if (Bodies[route.Name] is { } body)
            {
                request.Content = JsonContent.Create(body);
            }

            using var response = await reader.SendAsync(request);
            Assert.True(response.IsSuccessStatusCode, $"{route} as {path}: {(int)response.StatusCode} {await response.Content.ReadAsStringAsync()}");
            Assert.Equal("read=1", response.Headers.GetValues(RequestBilling.UnitsHeader).Single());
        }

        await platform.ReportUsageAsync();
        var after = await UsageAsync(platform, tenantId);
        Assert.Equal(reads.Count, after["read_units"]!.GetValue<long>() - before["read_units"]!.GetValue<long>());
        Assert.Equal(0, after["write_units"]!.GetValue<long>() - before["write_units"]!.GetValue<long>());
    }

    private static async Task<JsonObject> UsageAsync(PlatformHost platform, string tenantId)
    {
        using var admin = await platform.ControlPlane.ClientAsync(platform.ControlPlane.Operator);
        return (await admin.GetFromJsonAsync<JsonObject>($"/v1/tenants/{tenantId}/usage"))!;
    }
}
