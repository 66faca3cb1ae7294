using Piramid.Backups.Configuration;
using Piramid.Backups.Stores;
using Piramid.ControlPlane.Operations;

namespace Piramid.ControlPlane.Exports;

/// <summary>Registers exports and imports: the engine client, the backup store, and the two operation handlers.</summary>
public static class ExportsExtensions
{
    /// <summary>Adds what <see cref="ExportsApi"/> and its operations need.</summary>
    public static WebApplicationBuilder AddExports(this WebApplicationBuilder builder)
    {
        ArgumentNullException.ThrowIfNull(builder);

        // The backup store may be registered by the backups feature already; it is one store for both.
        if (!builder.Services.Any(d => d.ServiceType == typeof(IBackupStore)))
        {
            builder.Services.AddBackupStore(builder.Configuration);
        }

        // No timeout: an export or an import lasts as long as the collection is large; cancellation ends it.
        builder.Services.AddHttpClient(EngineExportClient.HttpClientName, c => c.Timeout = Timeout.InfiniteTimeSpan);
        builder.Services.AddScoped<EngineExportClient>();
        builder.Services.AddOperationHandler<ExportHandler>();
        builder.Services.AddOperationHandler<ImportHandler>();
        return builder;
    }
}
