using Piramid.DataPlane.Security;
using Piramid.Engine;
using Piramid.Engine.Crypto;
using Piramid.Engine.Storage;
using Piramid.KeyWrapping;
using Piramid.ServiceDefaults;

namespace Piramid.DataPlane.Hosting;

/// <summary>Opens the engine at start, so a bad configuration or a wrong key stops the process at once with a clear message.</summary>
public static class EngineHosting
{
    /// <summary>Binds and validates the options, opens the engine, and registers it. False (after printing why) when it cannot start.</summary>
    public static bool AddEngine(this WebApplicationBuilder builder)
    {
        ArgumentNullException.ThrowIfNull(builder);
        var options = builder.Configuration.GetSection(EngineHostOptions.Section).Get<EngineHostOptions>() ?? new EngineHostOptions();
        var validation = new EngineHostOptionsValidator().Validate(null, options);
        if (validation.Failed)
        {
            return Fail($"invalid configuration: {validation.FailureMessage} (configuration section '{EngineHostOptions.Section}')");
        }

        DurabilityPolicy durability;
        try
        {
            durability = DurabilityPolicy.Parse(options.Durability);
        }
        catch (ArgumentException e)
        {
            return Fail($"invalid configuration 'Engine:Durability': {e.Message}");
        }

        VectorEngine engine;
        byte[] secret;
        try
        {
            var keys = EngineKeyFile.Read(options.KeyFile);
            if (!string.Equals(keys.TenantId, options.TenantId, StringComparison.Ordinal))
            {
                keys.Dispose();
                return Fail($"the key file 'Engine:KeyFile' ({options.KeyFile}) holds the keys of tenant '{keys.TenantId}', not of 'Engine:TenantId' '{options.TenantId}'.");
            }

            secret = keys.EngineSecret;
            var dataKey = DataKey.FromBytes(keys.DataKey);
            keys.ClearDataKey(); // The engine's DataKey holds the only clear copy from here on.
            engine = VectorEngine.Open(
                new EngineOptions
                {
                    DataDirectory = Path.GetFullPath(options.DataDirectory),
                    Durability = durability,
                    WalSegmentBytes = options.WalSegmentBytes,
                    MaintenanceInterval = TimeSpan.FromSeconds(options.MaintenanceIntervalSeconds),
                    Quotas = new EngineQuotas
                    {
                        MaxCollections = options.MaxCollections,
                        MaxPoints = options.MaxPoints,
                        MaxDimension = options.MaxDimension,
                        MaxStorageBytes = options.MaxStorageBytes,
                    },
                },
                dataKey); // The engine owns the data key from here on.
        }
        catch (EngineKeyFileException e)
        {
            return Fail($"{e.Message} (configuration 'Engine:KeyFile')");
        }
        catch (Exception e) when (e is DataDirectoryLockedException or InvalidOperationException or StorageCorruptedException
            or IOException or UnauthorizedAccessException)
        {
            return Fail(e.Message);
        }

        builder.Services.AddSingleton(engine);
        builder.Services.AddSingleton(new InternalAuthSettings(options.TenantId, secret, TimeSpan.FromSeconds(options.MaxIdentityAgeSeconds)));
        builder.Services.AddHealthChecks().AddCheck<EngineReadyCheck>("engine", tags: [ServiceDefaultsExtensions.ReadyTag]);
        builder.WebHost.ConfigureKestrel(k => k.Limits.MaxRequestBodySize = Contracts.Limits.MaxRequestBodyBytes);
        builder.Services.Configure<HostOptions>(o => o.ShutdownTimeout = TimeSpan.FromSeconds(20));
        return true;
    }

    /// <summary>
    /// Closes the engine after the server has stopped accepting and drained in-flight requests:
    /// flush, checkpoint every collection, release the data-directory lock.
    /// </summary>
    public static WebApplication UseEngineShutdown(this WebApplication app)
    {
        ArgumentNullException.ThrowIfNull(app);
        var engine = app.Services.GetRequiredService<VectorEngine>();
        app.Lifetime.ApplicationStopped.Register(() => engine.DisposeAsync().AsTask().GetAwaiter().GetResult());
        return app;
    }

    private static bool Fail(string message)
    {
        Console.Error.WriteLine($"piramid-engine: cannot start: {message}");
        return false;
    }
}
