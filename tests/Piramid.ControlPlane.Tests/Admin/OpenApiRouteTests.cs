using System.Text.RegularExpressions;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Metadata;
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

    // A key's own tenant: the gateway forwards /v1/api-keys/..., /v1/usage, /v1/audit and /v1/metrics to /v1/tenants/{key's tenant}/...
    private static readonly string[] KeyTenantPaths = ["/v1/api-keys", "/v1/usage", "/v1/audit", "/v1/metrics"];

    /// <summary>Where the control plane serves a table route: a key's own-tenant paths under its tenant's.</summary>
    private static string ServedAt(PublicRoute route) =>
        KeyTenantPaths.Any(p => route.Template.StartsWith(p, StringComparison.Ordinal))
            ? "/v1/tenants/{id}" + route.Template["/v1".Length..]
            : route.Template;

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
            var served = ServedAt(r);
            Assert.True(mapped.Contains($"{r.Method} {Normalize(served)}"), $"{r} is in the route table but the control plane does not map {r.Method} {served}");
            Assert.True(OpenApiDocument.Documents(r.Method, r.Template), $"{r} is not in docs/openapi.json");
        });
    }

    /// <summary>
    /// What the route table declares a route takes and answers (docs/openapi.json is generated from it) is what the
    /// control plane's handler reads and returns: its body parameter's type, its typed results' statuses and types,
    /// and the query parameters it binds. A handler changed without its table line fails here.
    /// </summary>
    [Fact]
    public async Task TableContracts_AreWhatTheHandlersReadAndReturn()
    {
        await using var host = await ControlPlaneHost.StartAsync(postgres);
        var endpoints = host.App.Services.GetRequiredService<EndpointDataSource>().Endpoints.OfType<RouteEndpoint>()
            .SelectMany(e => (e.Metadata.GetMetadata<HttpMethodMetadata>()?.HttpMethods ?? []).Select(m => (Key: $"{m} {Normalize(e.RoutePattern.RawText!)}", Endpoint: e)))
            .ToDictionary(e => e.Key, e => e.Endpoint, StringComparer.Ordinal);
        var checkedBodies = 0;
        foreach (var route in PublicRoutes.ControlPlane)
        {
            var served = ServedAt(route);
            var endpoint = endpoints[$"{route.Method} {Normalize(served)}"];
            var handler = endpoint.Metadata.GetMetadata<System.Reflection.MethodInfo>();
            if (handler is null || handler.GetParameters().Any(p => p.ParameterType == typeof(HttpContext)) && endpoint.Metadata.GetMetadata<IAcceptsMetadata>() is null && route.Body is not null)
            {
                // A passthrough handler (the token endpoint) reads its form itself: nothing typed to compare.
                continue;
            }

            var accepts = endpoint.Metadata.GetMetadata<IAcceptsMetadata>();
            Assert.True(accepts?.RequestType == route.Body?.Type, $"{route}: the handler reads {accepts?.RequestType?.Name ?? "no body"}, the table says {route.Body?.Type.Name ?? "no body"}");
            if (accepts is not null)
            {
                checkedBodies++;
                Assert.True(accepts.IsOptional == !route.Body!.Required, $"{route}: the handler's body is {(accepts.IsOptional ? "optional" : "required")}, the table says otherwise");
            }

            var produced = endpoint.Metadata.GetOrderedMetadata<IProducesResponseTypeMetadata>()
                .Where(p => p.StatusCode is >= 200 and < 300)
                .Select(p => $"{p.StatusCode} {(p.Type is null || p.Type == typeof(void) ? "-" : p.Type.Name)}")
                .ToHashSet(StringComparer.Ordinal);
            if (produced.Count > 0)
            {
                var declared = route.Responses.Where(r => r.MediaType is null or "application/json").Select(r => $"{r.Status} {r.Type?.Name ?? "-"}").ToHashSet(StringComparer.Ordinal);
                Assert.True(produced.SetEquals(declared), $"{route}: the handler answers {string.Join(", ", produced)}, the table says {string.Join(", ", declared)}");
            }

            var routeParameters = endpoint.RoutePattern.Parameters.Select(p => p.Name).ToHashSet(StringComparer.OrdinalIgnoreCase);
            var query = handler.GetParameters()
                .Where(p => !routeParameters.Contains(p.Name!) && IsQueryValue(p.ParameterType) && p.GetCustomAttributes(false).All(IsQueryBinding))
                .Select(p => $"{p.Name} {Nullable.GetUnderlyingType(p.ParameterType)?.Name ?? p.ParameterType.Name}")
                .Order(StringComparer.Ordinal);
            Assert.Equal(route.Query.Select(q => $"{q.Name} {q.Type.Name}").Order(StringComparer.Ordinal), query);
        }

        Assert.True(checkedBodies > 0, "no handler's body type was compared");
    }

    // A parameter binds from the query unless an attribute says otherwise; the compiler's own attributes (a nullable
    // reference type's [Nullable]) say nothing about binding.
    private static bool IsQueryBinding(object attribute) =>
        attribute is Microsoft.AspNetCore.Mvc.FromQueryAttribute || attribute.GetType().Namespace == "System.Runtime.CompilerServices";

    private static bool IsQueryValue(Type type)
    {
        var t = Nullable.GetUnderlyingType(type) ?? type;
        return t.IsPrimitive || t == typeof(string) || t == typeof(DateOnly) || t == typeof(DateTimeOffset) || t == typeof(DateTime) || t == typeof(Guid) || t == typeof(decimal);
    }

    // "/v1/tenants/{id}/api-keys/{keyId}/" and "/v1/tenants/{id}/api-keys/{key_id}" are the same route.
    private static string Normalize(string template) => Parameter().Replace("/" + template.Trim('/'), "{}");

    [GeneratedRegex(@"\{[^}]+\}")]
    private static partial Regex Parameter();
}
