using System.Text.RegularExpressions;
using Microsoft.AspNetCore.Routing;
using Piramid.Contracts.Routes;
using Piramid.ControlPlane.Tests.Support;
using Piramid.TestKit;

namespace Piramid.ControlPlane.Tests.Admin;

/// <summary>
/// The control plane's public routes (admin API and token endpoint) are the route table's
/// (<see cref="PublicRoutes.ControlPlane"/>), and every one is in docs/openapi.json.
/// </summary>
[Collection(PostgresCollection.Name)]
public sealed partial class OpenApiRouteTests(PostgresFixture postgres)
{
    // Not public API: the gateway's internal API, health probes, and the browser pages of sign-in (the login form,
    // authorize, end session), which docs/API.md describes.
    private static readonly string[] NotPublic = ["/internal/", "/health/", "/account/", "/connect/authorize", "/connect/logout"];

    // A key's own tenant: the gateway forwards /v1/api-keys/..., /v1/usage and /v1/audit to /v1/tenants/{key's tenant}/...
    private static readonly string[] KeyTenantPaths = ["/v1/api-keys", "/v1/usage", "/v1/audit"];

    [Fact]
    public async Task PublicEndpoints_AreTheTablesControlPlaneRoutes_AndDocumented()
    {
        await using var host = await ControlPlaneHost.StartAsync(postgres);
        var mapped = host.App.Services.GetRequiredService<EndpointDataSource>().Endpoints.OfType<RouteEndpoint>()
            .SelectMany(e => (e.Metadata.GetMetadata<HttpMethodMetadata>()?.HttpMethods ?? []).Select(m => $"{m} {Normalize(e.RoutePattern.RawText!)}"))
            .ToHashSet(StringComparer.Ordinal);
        var publicMapped = mapped.Where(r => !NotPublic.Any(p => r.Split(' ')[1].StartsWith(p, StringComparison.Ordinal))).ToList();
        Assert.Contains(publicMapped, r => r.StartsWith("GET /v1/tenants/{}/usage", StringComparison.Ordinal));

        var table = PublicRoutes.ControlPlane.ToDictionary(r => $"{r.Method} {Normalize(r.Template)}", StringComparer.Ordinal);
        Assert.All(publicMapped, r => Assert.True(table.ContainsKey(r), $"{r} is mapped but not in the route table"));
        Assert.All(PublicRoutes.ControlPlane, r =>
        {
            var served = KeyTenantPaths.Any(p => r.Template.StartsWith(p, StringComparison.Ordinal))
                ? "/v1/tenants/{id}" + r.Template["/v1".Length..]
                : r.Template;
            Assert.True(mapped.Contains($"{r.Method} {Normalize(served)}"), $"{r} is in the route table but the control plane does not map {r.Method} {served}");
            Assert.True(OpenApiDocument.Documents(r.Method, r.Template), $"{r} is not in docs/openapi.json");
        });
    }

    // "/v1/tenants/{id}/api-keys/{keyId}/" and "/v1/tenants/{id}/api-keys/{key_id}" are the same route.
    private static string Normalize(string template) => Parameter().Replace("/" + template.Trim('/'), "{}");

    [GeneratedRegex(@"\{[^}]+\}")]
    private static partial Regex Parameter();
}
