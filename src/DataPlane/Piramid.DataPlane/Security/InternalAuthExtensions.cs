namespace Piramid.DataPlane.Security;

/// <summary>Wires internal authentication into the engine host.</summary>
public static class InternalAuthExtensions
{
    /// <summary>Registers the replay cache (the clock is the process's one <see cref="TimeProvider"/>, registered with the engine).</summary>
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
