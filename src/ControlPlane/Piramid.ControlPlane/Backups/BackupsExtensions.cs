using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;
using Piramid.Backups.Stores;
using Piramid.Backups.Stores.Filesystem;
using Piramid.ControlPlane.Operations;
using Piramid.ControlPlane.Orchestration;

namespace Piramid.ControlPlane.Backups;

/// <summary>Registers backups, restore, the log archiver, the schedule and retention.</summary>
public static class BackupsExtensions
{
    /// <summary>Adds the backup services, their handlers and background services.</summary>
    public static WebApplicationBuilder AddBackups(this WebApplicationBuilder builder)
    {
        ArgumentNullException.ThrowIfNull(builder);
        builder.Services.AddSingleton<IValidateOptions<BackupScheduleOptions>, BackupScheduleOptionsValidator>();
        builder.Services.AddOptions<BackupScheduleOptions>().BindConfiguration(BackupScheduleOptions.Section).ValidateOnStart();
        // The filesystem store under Backups:Directory, or the state directory's backups/ when unset (tests, a first run).
        builder.Services.TryAddSingleton<IBackupStore>(sp =>
        {
            var configured = sp.GetRequiredService<IConfiguration>()["Backups:Directory"];
            var directory = string.IsNullOrWhiteSpace(configured)
                ? Path.Combine(sp.GetRequiredService<IOptions<LocalOrchestratorOptions>>().Value.StateDirectory, "backups")
                : configured;
            return new FilesystemBackupStore(directory, sp.GetRequiredService<TimeProvider>(), sp.GetRequiredService<ILogger<FilesystemBackupStore>>());
        });
        builder.Services.AddSingleton<EngineBackupClient>();
        builder.Services.AddSingleton<BackupTelemetry>();
        builder.Services.AddScoped<BackupService>();
        builder.Services.AddScoped<RestoreService>();
        builder.Services.AddScoped<BackupRetention>();
        builder.Services.AddScoped<MemberTenants>();
        builder.Services.AddOperationHandler<BackupHandler>();
        builder.Services.AddOperationHandler<RestoreHandler>();
        builder.Services.AddSingleton<WalArchiver>();
        builder.Services.AddHostedService(sp => sp.GetRequiredService<WalArchiver>());
        builder.Services.AddSingleton<BackupScheduler>();
        builder.Services.AddHostedService(sp => sp.GetRequiredService<BackupScheduler>());
        return builder;
    }
}
