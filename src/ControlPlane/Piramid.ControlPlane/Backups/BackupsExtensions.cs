using Microsoft.Extensions.Options;
using Piramid.Backups.Configuration;
using Piramid.ControlPlane.Operations;

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
        // The filesystem store defaults to the state directory's backups/ (./piramid up sets Backups__Directory itself).
        var state = builder.Configuration["Orchestrator:StateDirectory"];
        if (string.IsNullOrWhiteSpace(builder.Configuration["Backups:Directory"]) && !string.IsNullOrWhiteSpace(state))
        {
            builder.Configuration["Backups:Directory"] = Path.Combine(state, "backups");
        }

        builder.Services.AddBackupStore(builder.Configuration);
        builder.Services.AddSingleton<EngineBackupClient>();
        builder.Services.AddSingleton<BackupTelemetry>();
        builder.Services.AddScoped<BackupService>();
        builder.Services.AddScoped<RestoreService>();
        builder.Services.AddScoped<BackupRetention>();
        builder.Services.AddScoped<BackupJanitor>();
        builder.Services.AddScoped<RestoreStaging>();
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
