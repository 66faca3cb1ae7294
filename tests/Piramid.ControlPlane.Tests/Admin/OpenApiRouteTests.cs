using Microsoft.AspNetCore.Routing;
using Piramid.ControlPlane.Tests.Support;
using Piramid.TestKit;

namespace Piramid.ControlPlane.Tests.Admin;

/// <summary>Every public control-plane route (admin API and token endpoint) is in docs/openapi.json.</summary>
[Collection(PostgresCollection.Name)]
public sealed class OpenApiRouteTests(PostgresFixture postgres)
{
    // Not public API: the gateway's internal API, health probes, and the operator's browser login flow.
    private static readonly string[] NotPublic = ["/internal/", "/health/", "/account/", "/connect/authorize"];

    [Fact]
    public async Task EveryPublicRoute_IsDocumented()
    {
        await using var host = await ControlPlaneHost.StartAsync(postgres);
        var routes = host.App.Services.GetRequiredService<EndpointDataSource>().Endpoints.OfType<RouteEndpoint>()
            .SelectMany(e => (e.Metadata.GetMetadata<HttpMethodMetadata>()?.HttpMethods ?? []).Select(m => (Method: m, Path: "/" + e.RoutePattern.RawText!.TrimStart('/'))))
            .Where(r => !NotPublic.Any(p => r.Path.StartsWith(p, StringComparison.Ordinal)))
            .ToList();
        Assert.Contains(routes, r => r.Path.StartsWith("/v1/tenants/{id}/usage", StringComparison.Ordinal));
        Assert.All(routes, r => Assert.True(OpenApiDocument.Documents(r.Method, r.Path), $"{r.Method} {r.Path} is not in docs/openapi.json"));
    }
}
