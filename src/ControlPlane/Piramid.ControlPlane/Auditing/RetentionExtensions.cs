using Microsoft.Extensions.Options;

namespace Piramid.ControlPlane.Auditing;

/// <summary>Registration of the retention sweep.</summary>
public static class RetentionExtensions
{
    /// <summary>Binds and validates <see cref="RetentionOptions"/> and starts <see cref="RetentionService"/>.</summary>
    public static WebApplicationBuilder AddRetention(this WebApplicationBuilder builder)
    {
        ArgumentNullException.ThrowIfNull(builder);
        builder.Services.AddSingleton<IValidateOptions<RetentionOptions>, RetentionOptionsValidator>();
        builder.Services.AddOptions<RetentionOptions>().BindConfiguration(RetentionOptions.Section).ValidateOnStart();
        builder.Services.AddScoped<RetentionSweep>();
        builder.Services.AddHostedService<RetentionService>();
        return builder;
    }
}
