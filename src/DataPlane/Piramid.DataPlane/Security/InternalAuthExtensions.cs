namespace Piramid.DataPlane.Security;

/// <summary>Wires internal authentication into the engine host.</summary>
public static class InternalAuthExtensions
{
    /// <summary>Registers the replay cache (the clock comes from the service defaults).</summary>
    public static WebApplicationBuilder AddInternalAuth(this WebApplicationBuilder builder)
    {
        ArgumentNullException.ThrowIfNull(builder);
        builder.Services.AddSingleton(sp => new ReplayCache(
            sp.GetRequiredService<TimeProvider>(), sp.GetRequiredService<InternalAuthSettings>().MaxAge));
        return builder;
    }

    /// <summary>Refuses every unsigned request except health probes.</summary>
    public static IApplicationBuilder UseInternalAuth(this IApplicationBuilder app) =>
        app.UseMiddleware<InternalAuthMiddleware>();
}
