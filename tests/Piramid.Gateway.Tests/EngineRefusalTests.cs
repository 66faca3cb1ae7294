using System.Net;
using System.Net.Http.Json;
using System.Security.Cryptography;
using Piramid.Contracts.Admin;
using Piramid.Contracts.Problems;
using Piramid.Gateway.Routing;
using Piramid.Gateway.Tests.Support;
using Piramid.TestKit.Platform;
using static Piramid.Gateway.Tests.Support.Probe;

namespace Piramid.Gateway.Tests;

/// <summary>
/// An engine that refuses the gateway's signature says nothing about the client's key: the client gets a retryable
/// 503, not a 401 that would send it to rotate a key that is fine, and nothing it sent is applied.
/// </summary>
[Collection(GatewayCollection.Name)]
public sealed class EngineRefusalTests(PostgresFixture postgres)
{
    [Fact]
    public async Task EngineRefusesTheGatewaysSignature_TheClientGets503EngineUnavailable_AndNothingIsWritten()
    {
        await using var platform = await PlatformHost.StartAsync(postgres);
        var (tenant, key) = await platform.TenantWithKeyAsync("refused");
        using var http = platform.Client(key);
        await WaitRoutedAsync(http);
        (await http.PutAsJsonAsync("/v1/collections/docs", new { dimension = 2 })).EnsureSuccessStatusCode();

        // The route keeps the engine's address but signs with a secret that is not the engine's, as a route out of step
        // with a restarted engine would.
        var table = platform.Gateway.Services.GetRequiredService<RoutingTable>();
        var route = table.Find(tenant)!;
        table.Woke(RouteOf(route, RandomNumberGenerator.GetBytes(32)));

        foreach (var request in new Func<Task<HttpResponseMessage>>[]
        {
            () => http.PostAsJsonAsync("/v1/collections/docs/points", new { points = new[] { new { id = "a", vector = new[] { 1f, 2f } } } }),
            () => http.GetAsync(new Uri("/v1/collections", UriKind.Relative)),
            () => http.DeleteAsync(new Uri("/v1/collections/docs", UriKind.Relative)),
        })
        {
            using var response = await request();
            Assert.Equal(TimeSpan.FromSeconds(2), response.Headers.RetryAfter?.Delta);
            Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
            var problem = await ProblemAsync(response);
            Assert.Equal((503, ProblemTypes.EngineUnavailable), (problem.Status, problem.Type));
        }

        table.Woke(RouteOf(route, route.Secret));
        Assert.Equal(0, await CountAsync(http, "docs"));
        Assert.Equal(HttpStatusCode.OK, (await http.GetAsync(new Uri("/v1/collections/docs", UriKind.Relative))).StatusCode);
        Assert.Contains(PlatformHost.Logs.Text.Split('\n'), line => line.Contains("refused the gateway's signature", StringComparison.Ordinal) && line.Contains(tenant, StringComparison.Ordinal));
    }

    private static RouteInfo RouteOf(EngineRoute route, byte[] secret) => new()
    {
        TenantId = route.TenantId,
        Endpoint = route.Endpoint.ToString(),
        EngineSecret = Convert.ToBase64String(secret),
        State = RouteStates.Running,
    };
}
