using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;
using Piramid.DataPlane.Security;
using Piramid.Engine;
using Piramid.ServiceDefaults;

namespace Piramid.DataPlane.Hosting;

/// <summary>
/// Registers the engine without touching the disk: options are validated and the engine opened when the host
/// starts (<see cref="EngineLifetime"/>), so a bad configuration or a wrong key still stops the process at once
/// with a clear message (<see cref="EngineStartException"/>, <see cref="OptionsValidationException"/>).
/// </summary>
public static class EngineHosting
{
    /// <summary>Binds the <c>Engine</c> options (validated at start) and registers the engine, its lifetime and its readiness check.</summary>
    public static WebApplicationBuilder AddEngine(this WebApplicationBuilder builder)
    {
        ArgumentNullException.ThrowIfNull(builder);
        var services = builder.Services;
        services.AddOptions<EngineHostOptions>().BindConfiguration(EngineHostOptions.Section).ValidateOnStart();
        services.AddSingleton<IValidateOptions<EngineHostOptions>, EngineHostOptionsValidator>();
        services.AddSingleton<IValidateOptions<EngineHostOptions>, EngineDurabilityValidator>();

        // The process's one clock: the engine (checkpoint ages), internal authentication and the replay cache read it.
        services.TryAddSingleton(TimeProvider.System);
        services.AddSingleton<EngineLifetime>();
        services.AddHostedService(sp => sp.GetRequiredService<EngineLifetime>());
        services.AddSingleton(sp => sp.GetRequiredService<EngineLifetime>().Engine);
        services.AddSingleton(sp => sp.GetRequiredService<EngineLifetime>().AuthSettings);
        services.AddHealthChecks().AddCheck<EngineReadyCheck>("engine", tags: [ServiceDefaultsExtensions.ReadyTag]);
        builder.WebHost.ConfigureKestrel(k => k.Limits.MaxRequestBodySize = Contracts.Limits.MaxRequestBodyBytes);
        // Requests run on the socket thread that read them (Program.cs, SocketThreads); reads go straight into a
        // pooled buffer instead of first waiting with a zero-byte read, one system call less per request.
        builder.WebHost.UseSockets(o =>
        {
            o.UnsafePreferInlineScheduling = true;
            o.WaitForDataBeforeAllocatingBuffer = false;
        });
        services.Configure<HostOptions>(o => o.ShutdownTimeout = TimeSpan.FromSeconds(20));
        return builder;
    }

    /// <summary>
    /// The message for a failure to start the host, when it is one the operator can fix (configuration, key file,
    /// data directory); null for anything else, which is left to crash with its stack trace.
    /// </summary>
    public static string? DescribeStartFailure(Exception e) => e switch
    {
        EngineStartException start => start.Message,
        OptionsValidationException invalid when invalid.OptionsType == typeof(EngineHostOptions) =>
            $"invalid configuration: {string.Join("; ", invalid.Failures)} (configuration section '{EngineHostOptions.Section}')",
        AggregateException { InnerExceptions.Count: 1 } aggregate => DescribeStartFailure(aggregate.InnerExceptions[0]),
        _ => null,
    };
}
