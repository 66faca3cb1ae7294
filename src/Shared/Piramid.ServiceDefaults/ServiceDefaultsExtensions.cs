using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Diagnostics.HealthChecks;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Microsoft.Extensions.Hosting;
using OpenTelemetry;
using OpenTelemetry.Metrics;
using OpenTelemetry.Resources;
using OpenTelemetry.Trace;
using Piramid.Contracts.Problems;

namespace Piramid.ServiceDefaults;

/// <summary>
/// What every Piramid process gets: one <see cref="TimeProvider"/>, OpenTelemetry metrics (scraped by Prometheus, see
/// <see cref="MetricsEndpoint"/>) and traces (exported over OTLP only when <c>OTEL_EXPORTER_OTLP_ENDPOINT</c> is set),
/// JSON logs carrying trace ids (<see cref="StructuredLogs"/>), liveness and readiness endpoints, and problem+json errors.
/// </summary>
public static class ServiceDefaultsExtensions
{
    /// <summary>Health checks carrying this tag gate <c>/health/ready</c>.</summary>
    public const string ReadyTag = "ready";

    /// <summary>Registers the clock, telemetry, health checks and problem details.</summary>
    public static TBuilder AddServiceDefaults<TBuilder>(this TBuilder builder, string serviceName, params string[] meterAndSourceNames)
        where TBuilder : IHostApplicationBuilder
    {
        ArgumentNullException.ThrowIfNull(builder);
        // The one clock of the process; a test that registered its own before keeps it.
        builder.Services.TryAddSingleton(TimeProvider.System);
        var otel = builder.Services.AddOpenTelemetry()
            .ConfigureResource(r => r.AddService(serviceName))
            .WithMetrics(m =>
            {
                m.AddAspNetCoreInstrumentation().AddHttpClientInstrumentation().AddRuntimeInstrumentation();
                m.AddMeter(meterAndSourceNames);
                // Collected only when scraped (GET /metrics, MetricsEndpoint); nothing is kept between scrapes but the instruments' state.
                m.AddPrometheusExporter();
            });
        MetricsEndpoint.AddListener(builder);
        StructuredLogs.Add(builder);

        // Spans are only worth their cost per request when something collects them; without a collector the
        // incoming traceparent still travels on unchanged (proxies forward the header as is).
        if (!string.IsNullOrWhiteSpace(builder.Configuration["OTEL_EXPORTER_OTLP_ENDPOINT"]))
        {
            otel.WithTracing(t =>
            {
                t.AddAspNetCoreInstrumentation(o => o.Filter = ctx => !ctx.Request.Path.StartsWithSegments("/health"))
                    .AddHttpClientInstrumentation();
                t.AddSource(meterAndSourceNames);
            });
            otel.UseOtlpExporter();
        }

        builder.Services.AddHealthChecks()
            .AddCheck("self", () => HealthCheckResult.Healthy(), ["live"]);
        builder.Services.AddProblemDetails(o => o.CustomizeProblemDetails = ProblemDefaults.Customize);
        builder.Services.AddExceptionHandler<ProblemExceptionHandler>();
        // Kestrel's own refusals (bad request line, 414, 431, 505, ...) get problem bodies too.
        builder.Services.Configure<Microsoft.AspNetCore.Server.Kestrel.Core.KestrelServerOptions>(k =>
            k.ConfigureEndpointDefaults(listen => listen.Use(KestrelProblemBodies.Wrap)));
        return builder;
    }

    /// <summary>Maps <c>/health/live</c> (the process runs) and <c>/health/ready</c> (it can serve).</summary>
    public static IEndpointRouteBuilder MapDefaultEndpoints(this IEndpointRouteBuilder app)
    {
        ArgumentNullException.ThrowIfNull(app);
        app.MapHealthChecks("/health/live", new HealthCheckOptions { Predicate = c => c.Tags.Contains("live") });
        app.MapHealthChecks("/health/ready", new HealthCheckOptions { Predicate = c => c.Tags.Contains(ReadyTag) });
        return app;
    }

    /// <summary>
    /// Turns <see cref="ProblemException"/> and the binder's refusals into their problems, any other exception
    /// into a 500 problem without internal detail, and bare status codes (404 for an unknown route, 405, ...) into
    /// problem+json bodies; and answers <c>X-Request-Id</c> on every request (see <see cref="RequestIds"/>).
    /// </summary>
    /// <param name="app">The application.</param>
    /// <param name="trustIncomingRequestId">Adopt the caller's <c>X-Request-Id</c>: only behind the gateway, which sets its own.</param>
    public static IApplicationBuilder UseProblemDefaults(this IApplicationBuilder app, bool trustIncomingRequestId = false)
    {
        app.UseRequestIds(trustIncomingRequestId);
        app.UseExceptionHandler();
        // Written here, not through the problem-details service: that service skips a client whose Accept names
        // neither JSON nor problem+json (text/html, application/xml), and the framework then answered routing's 404
        // and 405 with a plain-text "Status Code: 405" body.
        app.UseStatusCodePages(context =>
        {
            var status = context.HttpContext.Response.StatusCode;
            return ProblemResults.WriteAsync(context.HttpContext, ProblemCatalog.ForStatus(status), ProblemDefaults.DefaultDetail(status));
        });
        return app;
    }
}
