using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Routing;
using Piramid.DataPlane.Api;
using Piramid.TestKit;

namespace Piramid.DataPlane.Tests;

/// <summary>Every route the engine serves (and the gateway exposes as is) is in docs/openapi.json.</summary>
public sealed class OpenApiRouteTests
{
    [Fact]
    public async Task EveryEngineRoute_IsDocumented()
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.Services.AddEngineApi();
        await using var app = builder.Build();
        app.MapCollectionsApi();
        app.MapPointsApi();

        var routes = ((IEndpointRouteBuilder)app).DataSources.SelectMany(d => d.Endpoints).OfType<RouteEndpoint>()
            .SelectMany(e => (e.Metadata.GetMetadata<Microsoft.AspNetCore.Routing.HttpMethodMetadata>()?.HttpMethods ?? []).Select(m => (Method: m, Path: e.RoutePattern.RawText!)))
            .ToList();
        Assert.True(routes.Count >= 12, $"only {routes.Count} routes found");
        Assert.All(routes, r => Assert.True(OpenApiDocument.Documents(r.Method, r.Path), $"{r.Method} {r.Path} is not in docs/openapi.json"));
    }
}
