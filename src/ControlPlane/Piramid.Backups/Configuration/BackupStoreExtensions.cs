using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Piramid.Backups.Stores;
using Piramid.Backups.Stores.FaultInjection;
using Piramid.Backups.Stores.Filesystem;
using Piramid.Backups.Stores.S3;

namespace Piramid.Backups.Configuration;

/// <summary>Registration of the configured <see cref="IBackupStore"/>.</summary>
public static class BackupStoreExtensions
{
    /// <summary>Tag of <see cref="BackupStoreHealth"/>: not "ready", since the control plane serves tenants while the store is down.</summary>
    public const string HealthTag = "backups";

    /// <summary>
    /// Binds <c>Backups</c> into <see cref="BackupStoreOptions"/> (validated at start, naming the bad key), registers
    /// the store it selects as a singleton <see cref="IBackupStore"/>, and the <c>backup-store</c> health check.
    /// </summary>
    public static IServiceCollection AddBackupStore(this IServiceCollection services, IConfiguration configuration)
    {
        ArgumentNullException.ThrowIfNull(services);
        ArgumentNullException.ThrowIfNull(configuration);
        services.AddSingleton<IValidateOptions<BackupStoreOptions>, BackupStoreOptionsValidator>();
        services.AddOptions<BackupStoreOptions>().Bind(configuration.GetSection(BackupStoreOptions.Section)).ValidateOnStart();
        services.TryAddSingleton(TimeProvider.System);
        var pause = configuration.GetSection(PauseOptions.Section).Get<PauseOptions>();
        if (pause?.AfterBytes is >= 0)
        {
            // Crash tests only (docs/design/backups.md, "Crash tests"): the store stops at a known byte.
            services.AddSingleton(sp => new PausingBackupStore(CreateStore(sp), pause));
            services.AddSingleton<IBackupStore>(sp => sp.GetRequiredService<PausingBackupStore>());
        }
        else
        {
            services.AddSingleton<IBackupStore>(CreateStore);
        }

        services.AddHealthChecks().AddCheck<BackupStoreHealth>("backup-store", tags: [HealthTag]);
        return services;
    }

    private static IBackupStore CreateStore(IServiceProvider services)
    {
        var options = services.GetRequiredService<IOptions<BackupStoreOptions>>().Value;
        var logging = services.GetRequiredService<ILoggerFactory>();
        return options.Store switch
        {
            BackupStoreOptions.S3Store => new S3BackupStore(
                S3ClientFactory.Create(options.S3), options.S3, logging.CreateLogger<S3BackupStore>(), ownsClient: true),
            _ => new FilesystemBackupStore(
                options.Directory!, services.GetRequiredService<TimeProvider>(), logging.CreateLogger<FilesystemBackupStore>()),
        };
    }
}
