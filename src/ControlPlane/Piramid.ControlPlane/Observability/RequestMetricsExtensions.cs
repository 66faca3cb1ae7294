namespace Piramid.ControlPlane.Observability;

/// <summary>Registration of the charts' figures: the store, the engine sampler and its options.</summary>
public static class RequestMetricsExtensions
{
    /// <summary>Binds and validates <see cref="RequestMetricsOptions"/>, registers the store and starts <see cref="EngineSampler"/>.</summary>
    public static WebApplicationBuilder AddRequestMetrics(this WebApplicationBuilder builder)
    {
        ArgumentNullException.ThrowIfNull(builder);
        builder.Services.AddOptions<RequestMetricsOptions>().BindConfiguration(RequestMetricsOptions.Section).ValidateDataAnnotations().ValidateOnStart();
        builder.Services.AddScoped<RequestMetricsStore>();
        builder.Services.AddSingleton<EngineSampler>();
        builder.Services.AddHostedService(sp => sp.GetRequiredService<EngineSampler>());
        return builder;
    }
}
