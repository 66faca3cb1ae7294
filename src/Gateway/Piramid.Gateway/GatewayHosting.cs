using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authorization;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Piramid.Gateway.Authentication;
using Piramid.Gateway.ControlPlane;
using Piramid.Gateway.Forwarding;
using Piramid.Gateway.Routing;
using Piramid.ServiceDefaults;
using Yarp.ReverseProxy.Configuration;

namespace Piramid.Gateway;

/// <summary>Composition of the gateway; Program.cs and the tests share it.</summary>
public static class GatewayHosting
{
    /// <summary>Registers options, the control-plane client, caches, routing, authentication and YARP.</summary>
    public static WebApplicationBuilder AddGateway(this WebApplicationBuilder builder)
    {
        ArgumentNullException.ThrowIfNull(builder);
        builder.Services.AddOptions<GatewayOptions>().BindConfiguration(GatewayOptions.Section).ValidateDataAnnotations()
            .Validate(o => o.JwtClockSkew >= TimeSpan.Zero && o.JwtClockSkew <= GatewayOptions.MaxClockSkew, "Gateway:JwtClockSkew must be between 0 and 30 seconds.")
            .ValidateOnStart();
        builder.Services.AddSingleton(TimeProvider.System);
        // One client for the process: it caches the gateway's own access token.
        builder.Services.AddHttpClient(nameof(ControlPlaneClient), c => c.Timeout = TimeSpan.FromSeconds(40));
        builder.Services.AddSingleton(sp => new ControlPlaneClient(
            sp.GetRequiredService<IHttpClientFactory>().CreateClient(nameof(ControlPlaneClient)),
            sp.GetRequiredService<Microsoft.Extensions.Options.IOptions<GatewayOptions>>(),
            sp.GetRequiredService<TimeProvider>()));
        builder.Services.AddSingleton<KeyCache>();
        builder.Services.AddSingleton<Limits.RateLimits>();
        builder.Services.AddSingleton<RoutingTable>();
        builder.Services.AddSingleton<GatewayProxyConfig>();
        builder.Services.AddSingleton<IProxyConfigProvider>(sp => sp.GetRequiredService<GatewayProxyConfig>());
        builder.Services.AddSingleton<ChangeFeedWatcher>();
        builder.Services.AddHostedService(sp => sp.GetRequiredService<ChangeFeedWatcher>());
        builder.Services.AddHealthChecks().AddCheck("routes", () => HealthCheckResult.Healthy(), [ServiceDefaultsExtensions.ReadyTag]);
        builder.Services.AddAuthentication(ApiKeyAuthenticationHandler.SchemeName)
            .AddScheme<AuthenticationSchemeOptions, ApiKeyAuthenticationHandler>(ApiKeyAuthenticationHandler.SchemeName, null)
            .AddAdminJwt();
        builder.Services.AddSingleton<IAuthorizationMiddlewareResultHandler, UniformAuthorizationResults>();
        builder.Services.AddAuthorizationBuilder()
            .AddPolicy(GatewayProxyConfig.TenantPolicy, p => p
                .AddAuthenticationSchemes(ApiKeyAuthenticationHandler.SchemeName)
                .RequireAuthenticatedUser()
                .RequireClaim(GatewayClaims.Tenant))
            .AddPolicy(GatewayProxyConfig.AdminPolicy, p => p
                .AddAuthenticationSchemes(AdminJwt.SchemeName)
                .RequireAuthenticatedUser()
                .RequireClaim(AdminJwt.RoleClaim, Contracts.Identity.Roles.PlatformAdmin));
        builder.Services.AddReverseProxy().AddTransforms(context =>
            EngineForwarding.AddTransforms(context, context.Services.GetRequiredService<RoutingTable>(), context.Services.GetRequiredService<TimeProvider>()));
        builder.WebHost.ConfigureKestrel(k =>
        {
            k.Limits.MaxRequestBodySize = Contracts.Limits.MaxRequestBodyBytes;
            k.Limits.MaxRequestHeadersTotalSize = 32 * 1024;
        });
        return builder;
    }

    /// <summary>The middleware and the proxy.</summary>
    public static WebApplication UseGateway(this WebApplication app)
    {
        ArgumentNullException.ThrowIfNull(app);
        app.UseProblemDefaults();
        app.MapDefaultEndpoints();
        app.UseAuthentication();
        app.UseAuthorization();
        app.MapReverseProxy(pipeline =>
        {
            pipeline.Use(EngineForwarding.SelectTenantAsync);
            pipeline.UseSessionAffinity();
            pipeline.UseLoadBalancing();
            pipeline.UsePassiveHealthChecks();
        });
        return app;
    }
}
