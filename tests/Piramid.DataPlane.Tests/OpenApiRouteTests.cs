using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Routing;
using Piramid.Contracts.Routes;
using Piramid.DataPlane.Api;
using Piramid.TestKit;

namespace Piramid.DataPlane.Tests;

/// <summary>
/// The engine serves exactly the data routes of the route table (<see cref="PublicRoutes.Engine"/>), each endpoint
/// carries its table route (where the role check reads it), and every one is in docs/openapi.json.
/// </summary>
public sealed class OpenApiRouteTests
{
    [Fact]
    public async Task EngineEndpoints_AreTheTablesDataRoutes_AndDocumented()
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.Services.AddEngineApi();
        await using var app = builder.Build();
        app.MapCollectionsApi();
        app.MapPointsApi();

        var endpoints = ((IEndpointRouteBuilder)app).DataSources.SelectMany(d => d.Endpoints).OfType<RouteEndpoint>()
            .SelectMany(e => (e.Metadata.GetMetadata<HttpMethodMetadata>()?.HttpMethods ?? []).Select(m => (Method: m, Path: e.RoutePattern.RawText!, Route: e.Metadata.GetMetadata<PublicRoute>())))
            .ToList();

        // Every endpoint is a table route, with that route's own method and template (so its role is the table's).
        Assert.All(endpoints, e => Assert.True(e.Route is not null && e.Route.Method == e.Method && e.Route.Template == e.Path,
            $"{e.Method} {e.Path} carries {e.Route?.ToString() ?? "no route of the table"}"));
        // Every data route of the table is served, once.
        Assert.Equal(
            PublicRoutes.Engine.Select(r => r.ToString()).Order(StringComparer.Ordinal),
            endpoints.Select(e => $"{e.Method} {e.Path}").Order(StringComparer.Ordinal));
        Assert.All(PublicRoutes.Engine, r => Assert.True(OpenApiDocument.Documents(r.Method, r.Template), $"{r} is not in docs/openapi.json"));
    }
}
