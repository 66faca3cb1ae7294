using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using Piramid.Gateway.Tests.Support;
using Piramid.TestKit.Platform;

namespace Piramid.Gateway.Tests.Hibernation;

/// <summary>
/// A plan's <c>hibernate_after_seconds</c> below <c>Orchestrator:MinHibernateAfter</c> (60 s by default) is refused: a
/// busy engine would stop between two of the gateway's activity reports and flap. Real control plane and PostgreSQL.
/// </summary>
[Collection(GatewayCollection.Name)]
public sealed class HibernatePlanValidationTests(PostgresFixture postgres)
{
    [Fact]
    public async Task IdlePeriodsBelowTheMinimum_AreRefusedNamingTheField_AndChangeNothing_WhileTheMinimumAndNeverAreTaken()
    {
        await using var platform = await PlatformHost.StartAsync(postgres);
        using var admin = await platform.ControlPlane.ClientAsync(platform.ControlPlane.Operator);
        await PutAsync(admin, 900, HttpStatusCode.OK);

        var random = new Random(22);
        int[] refused = [1, 5, 30, 59, -1, int.MinValue, 2_592_001, .. Enumerable.Range(0, 20).Select(_ => random.Next(1, 60))];
        foreach (var seconds in refused)
        {
            var problem = await PutAsync(admin, seconds, HttpStatusCode.BadRequest);
            Assert.Equal("application/problem+json", problem.ContentType);
            Assert.Contains("hibernate_after_seconds", problem.Body, StringComparison.Ordinal);
            Assert.Contains("60", problem.Body, StringComparison.Ordinal);
            Assert.Equal(900, await StoredAsync(admin));
        }

        await PutAsync(admin, 60, HttpStatusCode.OK);
        Assert.Equal(60, await StoredAsync(admin));
        await PutAsync(admin, 0, HttpStatusCode.OK);
        Assert.Null(await StoredAsync(admin));
    }

    private static async Task<(string? ContentType, string Body)> PutAsync(HttpClient admin, int seconds, HttpStatusCode expected)
    {
        using var response = await admin.PutAsJsonAsync("/v1/plans/idle-check", new
        {
            name = "Idle check",
            max_collections = 5,
            max_points = 1000,
            max_storage_bytes = 1L << 20,
            max_dimension = 8,
            read_rate_per_second = 10,
            read_burst = 10,
            write_rate_per_second = 10,
            write_burst = 10,
            monthly_read_units = 1000,
            monthly_write_units = 1000,
            hibernate_after_seconds = seconds,
        });
        var body = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == expected, $"hibernate_after_seconds {seconds}: {(int)response.StatusCode} {body}");
        return (response.Content.Headers.ContentType?.MediaType, body);
    }

    private static async Task<int?> StoredAsync(HttpClient admin)
    {
        var plans = await admin.GetFromJsonAsync<JsonObject>("/v1/plans");
        var plan = plans!["plans"]!.AsArray().Single(p => p!["id"]?.GetValue<string>() == "idle-check" || p!["name"]?.GetValue<string>() == "Idle check");
        return plan!["hibernate_after_seconds"]?.GetValue<int>();
    }
}
