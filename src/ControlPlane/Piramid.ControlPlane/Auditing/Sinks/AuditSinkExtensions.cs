using Microsoft.Extensions.Options;
using OpenTelemetry.Metrics;

namespace Piramid.ControlPlane.Auditing.Sinks;

/// <summary>Registration of the continuous audit export.</summary>
public static class AuditSinkExtensions
{
    /// <summary>Binds and validates <see cref="AuditSinkOptions"/>, registers the delivery and starts <see cref="AuditSinkService"/>.</summary>
    public static WebApplicationBuilder AddAuditSinks(this WebApplicationBuilder builder)
    {
        ArgumentNullException.ThrowIfNull(builder);
        builder.Services.AddSingleton<IValidateOptions<AuditSinkOptions>, AuditSinkOptionsValidator>();
        builder.Services.AddOptions<AuditSinkOptions>().BindConfiguration(AuditSinkOptions.Section).ValidateOnStart();
        builder.Services.AddSingleton(sp => sp.GetRequiredService<IOptions<AuditSinkOptions>>().Value);
        builder.Services.AddSingleton<SinkSecretProtector>();
        builder.Services.AddSingleton<SyslogSinkWriter>();
        builder.Services.AddSingleton<S3SinkWriter>();
        builder.Services.AddSingleton<AuditSinkTelemetry>();
        builder.Services.AddScoped<AuditSinkDelivery>();
        builder.Services.AddHostedService<AuditSinkService>();
        builder.Services.ConfigureOpenTelemetryMeterProvider(m => m.AddMeter(AuditSinkTelemetry.MeterName));
        return builder;
    }
}
