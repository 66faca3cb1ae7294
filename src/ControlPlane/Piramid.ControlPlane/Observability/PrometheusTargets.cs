using System.Text.Json;
using Piramid.ControlPlane.Data.Entities;
using Piramid.ControlPlane.Orchestration;
using Piramid.ServiceDefaults;

namespace Piramid.ControlPlane.Observability;

/// <summary>
/// Prometheus's HTTP service discovery of the engines (<c>http_sd_configs</c>): <c>GET /internal/v1/prometheus/targets</c>
/// on the control plane's metrics port (<c>Metrics:Port</c>, loopback, never routed by the gateway) lists every running
/// engine's address with its tenant as the <c>tenant_id</c> label. Engines come and go with tenants; Prometheus asks
/// again at its refresh interval. See docs/design/observability.md.
/// </summary>
public static class PrometheusTargets
{
    /// <summary>The discovery path.</summary>
    public const string Path = "/internal/v1/prometheus/targets";

    /// <summary>Answers the discovery path on the metrics port; call before <see cref="MetricsEndpoint.UseMetricsEndpoint"/>.</summary>
    public static IApplicationBuilder UsePrometheusTargets(this IApplicationBuilder app)
    {
        ArgumentNullException.ThrowIfNull(app);
        if (MetricsEndpoint.PortOf(app.ApplicationServices.GetRequiredService<IConfiguration>()) is not { } port)
        {
            return app;
        }

        return app.Use((context, next) =>
            context.Connection.LocalPort == port && context.Request.Path == Path && HttpMethods.IsGet(context.Request.Method)
                ? WriteAsync(context, context.RequestServices.GetRequiredService<IEngineOrchestrator>())
                : next(context));
    }

    /// <summary>The target groups: one per running engine.</summary>
    public static byte[] Describe(IEnumerable<EngineRoute> routes)
    {
        ArgumentNullException.ThrowIfNull(routes);
        using var buffer = new MemoryStream();
        using (var json = new Utf8JsonWriter(buffer))
        {
            json.WriteStartArray();
            foreach (var route in routes.Where(r => r.State == EngineState.Running).OrderBy(r => r.TenantId, StringComparer.Ordinal))
            {
                json.WriteStartObject();
                json.WriteStartArray("targets");
                json.WriteStringValue(route.Endpoint.Authority);
                json.WriteEndArray();
                json.WriteStartObject("labels");
                json.WriteString("tenant_id", route.TenantId);
                json.WriteEndObject();
                json.WriteEndObject();
            }

            json.WriteEndArray();
        }

        return buffer.ToArray();
    }

    private static Task WriteAsync(HttpContext context, IEngineOrchestrator orchestrator)
    {
        context.Response.ContentType = "application/json";
        return context.Response.Body.WriteAsync(Describe(orchestrator.GetRoutes())).AsTask();
    }
}
