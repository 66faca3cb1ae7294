using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;
using OpenTelemetry.Metrics;

namespace Piramid.ControlPlane.Orchestration;

/// <summary>Registers the local (one process per tenant on this machine) orchestrator.</summary>
public static class LocalOrchestratorExtensions
{
    /// <summary>
    /// Adds <see cref="LocalProcessOrchestrator"/> as the <see cref="IEngineOrchestrator"/>, its options from the
    /// <c>Orchestrator</c> section (validated at start) and the supervisor. Needs the control-plane database.
    /// </summary>
    public static WebApplicationBuilder AddLocalOrchestrator(this WebApplicationBuilder builder)
    {
        ArgumentNullException.ThrowIfNull(builder);
        builder.Services.AddOptions<LocalOrchestratorOptions>()
            .Bind(builder.Configuration.GetSection(LocalOrchestratorOptions.Section))
            .ValidateOnStart();
        builder.Services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<LocalOrchestratorOptions>, LocalOrchestratorOptionsValidator>());
        // Engines send their spans where the control plane sends its own, unless configured apart.
        builder.Services.PostConfigure<LocalOrchestratorOptions>(o =>
        {
            o.OtlpEndpoint ??= builder.Configuration["OTEL_EXPORTER_OTLP_ENDPOINT"];
            o.OtlpProtocol ??= builder.Configuration["OTEL_EXPORTER_OTLP_PROTOCOL"];
        });
        builder.Services.AddSingleton<OrchestratorTelemetry>();
        builder.Services.ConfigureOpenTelemetryMeterProvider(m => m.AddMeter(OrchestratorTelemetry.MeterName));
        builder.Services.AddSingleton<LocalProcessOrchestrator>();
        builder.Services.AddSingleton<IEngineOrchestrator>(sp => sp.GetRequiredService<LocalProcessOrchestrator>());
        builder.Services.AddHostedService<EngineSupervisor>();
        return builder;
    }
}
