using System.Globalization;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Piramid.Contracts.Problems;

namespace Piramid.ServiceDefaults;

/// <summary>
/// Prometheus's scrape endpoint, <c>GET /metrics</c> (text exposition format, OpenTelemetry's exporter). The gateway
/// and the control plane serve it only on a loopback port of its own, <c>Metrics:Port</c>, which answers nothing
/// else; their public ports never answer it. The engine, whose only port is internal, serves it there.
/// See docs/design/observability.md.
/// </summary>
public static class MetricsEndpoint
{
    /// <summary>Configuration key of the metrics port (unset: no metrics endpoint on the gateway and control plane).</summary>
    public const string PortKey = "Metrics:Port";

    /// <summary>The scrape path.</summary>
    public const string Path = "/metrics";

    /// <summary>The configured metrics port, or null; throws naming the key when it is not a port.</summary>
    public static int? PortOf(IConfiguration configuration)
    {
        ArgumentNullException.ThrowIfNull(configuration);
        var raw = configuration[PortKey];
        if (string.IsNullOrWhiteSpace(raw))
        {
            return null;
        }

        return int.TryParse(raw, NumberStyles.None, CultureInfo.InvariantCulture, out var port) && port is > 0 and <= 65535
            ? port
            : throw new InvalidOperationException($"'{PortKey}' must be a TCP port between 1 and 65535; got '{raw}'.");
    }

    /// <summary>Adds http://127.0.0.1:<c>Metrics:Port</c> to the addresses the server listens on.</summary>
    internal static void AddListener(IHostApplicationBuilder builder)
    {
        if (PortOf(builder.Configuration) is not { } port)
        {
            return;
        }

        // Appended to 'urls' rather than a Kestrel Listen call: any Listen call makes Kestrel ignore 'urls'
        // (ASPNETCORE_URLS), which is how every process gets its public address.
        var urls = builder.Configuration["urls"];
        var metrics = "http://127.0.0.1:" + port.ToString(CultureInfo.InvariantCulture);
        builder.Configuration["urls"] = string.IsNullOrWhiteSpace(urls) ? "http://localhost:5000;" + metrics : urls + ";" + metrics;
    }

    /// <summary>
    /// Answers <c>/metrics</c> on the metrics port (and a 404 problem for anything else there); with
    /// <paramref name="onEveryPort"/> (the engine, an internal process) on every port. Call it first, before
    /// authentication: Prometheus presents no credential.
    /// </summary>
    public static IApplicationBuilder UseMetricsEndpoint(this IApplicationBuilder app, bool onEveryPort = false)
    {
        ArgumentNullException.ThrowIfNull(app);
        var port = PortOf(app.ApplicationServices.GetRequiredService<IConfiguration>());
        if (onEveryPort)
        {
            return app.UseOpenTelemetryPrometheusScrapingEndpoint(c => c.Request.Path == Path);
        }

        if (port is not { } metricsPort)
        {
            return app;
        }

        app.UseOpenTelemetryPrometheusScrapingEndpoint(c => c.Connection.LocalPort == metricsPort && c.Request.Path == Path);
        // The metrics port is not a second door to the API.
        return app.Use((context, next) => context.Connection.LocalPort == metricsPort
            ? ProblemResults.WriteAsync(context, ProblemCatalog.ForStatus(StatusCodes.Status404NotFound), $"This port serves only {Path}.")
            : next(context));
    }
}
