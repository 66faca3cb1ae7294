using Microsoft.Extensions.Options;

namespace Piramid.ControlPlane.Auditing;

/// <summary>Registration of the audit export: the engine audit reader, the anchors and their periodic check.</summary>
public static class AuditExportExtensions
{
    /// <summary>Binds and validates <see cref="AuditExportOptions"/>, registers the services and starts <see cref="AuditAnchorService"/>.</summary>
    public static WebApplicationBuilder AddAuditExport(this WebApplicationBuilder builder)
    {
        ArgumentNullException.ThrowIfNull(builder);
        builder.Services.AddSingleton<IValidateOptions<AuditExportOptions>, AuditExportOptionsValidator>();
        builder.Services.AddOptions<AuditExportOptions>().BindConfiguration(AuditExportOptions.Section).ValidateOnStart();
        builder.Services.AddSingleton<EngineAuditClient>();
        builder.Services.AddSingleton<AuditAnchorSigner>();
        builder.Services.AddScoped<AuditAnchors>();
        builder.Services.AddHostedService<AuditAnchorService>();
        return builder;
    }
}
