using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Cors.Infrastructure;
using Microsoft.Extensions.Options;
using OpenTelemetry.Metrics;
using Piramid.Contracts;
using Piramid.Gateway.Authentication;
using Piramid.Gateway.Authorization;
using Piramid.Gateway.ControlPlane;
using Piramid.Gateway.Edge;
using Piramid.Gateway.Forwarding;
using Piramid.Gateway.Reference;
using Piramid.Gateway.Routing;
using Piramid.Gateway.Usage;
using Piramid.ServiceDefaults;
using Yarp.ReverseProxy.Configuration;
using Yarp.ReverseProxy.Forwarder;

namespace Piramid.Gateway;

/// <summary>Composition of the gateway; Program.cs and the tests share it.</summary>
public static class GatewayHosting
{
    /// <summary>Name of the CORS policy built from <see cref="GatewayOptions.CorsOrigins"/>.</summary>
    public const string PortalCors = "portal";

    /// <summary>Registers options, the control-plane client, caches, routing, authentication and YARP.</summary>
    public static WebApplicationBuilder AddGateway(this WebApplicationBuilder builder)
    {
        ArgumentNullException.ThrowIfNull(builder);
        builder.Services.AddOptions<GatewayOptions>().BindConfiguration(GatewayOptions.Section).ValidateDataAnnotations()
            .Validate(o => o.JwtClockSkew >= TimeSpan.Zero && o.JwtClockSkew <= GatewayOptions.MaxClockSkew, "Gateway:JwtClockSkew must be between 0 and 30 seconds.")
            .Validate(o => o.ControlPlaneOutageGrace >= TimeSpan.Zero, "Gateway:ControlPlaneOutageGrace must not be negative.")
            .Validate(o => o.InFlightQueueWait >= TimeSpan.Zero && o.InFlightQueueWait <= TimeSpan.FromSeconds(30), "Gateway:InFlightQueueWait must be between 0 and 30 seconds.")
            .Validate(o => o.EngineActivityReportInterval > TimeSpan.Zero && o.EngineActivityReportInterval <= TimeSpan.FromMinutes(10),
                "Gateway:EngineActivityReportInterval must be between 0 (exclusive) and 10 minutes.")
            .Validate(o => o.EngineStartWait >= TimeSpan.Zero && o.EngineStartWait <= TimeSpan.FromMinutes(1), "Gateway:EngineStartWait must be between 0 and 1 minute.")
            .Validate(o => o.SlowResponseGrace > TimeSpan.FromSeconds(1), "Gateway:SlowResponseGrace must be longer than 1 second (Kestrel's minimum).")
            .Validate(o => o.IntrospectionTimeout > TimeSpan.Zero && o.IntrospectionTimeout <= TimeSpan.FromSeconds(30), "Gateway:IntrospectionTimeout must be between 0 and 30 seconds.")
            .Validate(o => string.IsNullOrWhiteSpace(o.PortalDirectory) || File.Exists(Path.Combine(o.PortalDirectory, "index.html")),
                "Gateway:PortalDirectory must be a directory holding the built portal's index.html (portal/dist after npm run build), or be unset for no portal.")
            .ValidateOnStart();
        // One client for the process: it caches the gateway's own access token.
        builder.Services.AddHttpClient(nameof(ControlPlaneClient), c => c.Timeout = TimeSpan.FromSeconds(40));
        builder.Services.AddSingleton(sp => new ControlPlaneClient(
            sp.GetRequiredService<IHttpClientFactory>().CreateClient(nameof(ControlPlaneClient)),
            sp.GetRequiredService<Microsoft.Extensions.Options.IOptions<GatewayOptions>>(),
            sp.GetRequiredService<TimeProvider>()));
        builder.Services.AddSingleton<IKeyIntrospector>(sp => sp.GetRequiredService<ControlPlaneClient>());
        builder.Services.AddSingleton<KeyCache>();
        builder.Services.AddSingleton<Portal.PortalSite>();
        builder.Services.AddSingleton<MemberCache>();
        builder.Services.AddSingleton<Limits.RateLimits>();
        builder.Services.AddSingleton<Limits.AddressLimits>();
        builder.Services.AddSingleton<UsageMeter>();
        builder.Services.AddSingleton<Telemetry.GatewayTelemetry>();
        // HttpClient's instruments are dropped: nearly every client request of the gateway is a forward to an engine, so
        // their series are labelled by engine port (a new one at every engine start) and grow with the tenants, while
        // the server's own request series already time every forward. Dropped instruments are never enabled, so the
        // forwarder's handler records nothing per request either.
        builder.Services.ConfigureOpenTelemetryMeterProvider(m => m.AddMeter(Telemetry.GatewayTelemetry.MeterName)
            .AddView(instrument => instrument.Meter.Name == "System.Net.Http" ? MetricStreamConfiguration.Drop : null));
        builder.Services.AddSingleton<AuthFailureLog>();
        builder.Services.AddSingleton<KeyUseLog>();
        builder.Services.AddSingleton<RequestStatsLog>();
        builder.Services.AddSingleton<UsageReporter>();
        builder.Services.AddHostedService(sp => sp.GetRequiredService<UsageReporter>());
        builder.Services.AddSingleton<RoutingTable>();
        builder.Services.AddSingleton<RouteWaiters>();
        builder.Services.AddSingleton<EngineWaker>();
        builder.Services.AddSingleton<EngineActivity>();
        builder.Services.AddHostedService<EngineActivityReporter>();
        builder.Services.AddSingleton<InFlightLimits>();
        builder.Services.AddSingleton<GatewayProxyConfig>();
        builder.Services.AddSingleton<IProxyConfigProvider>(sp => sp.GetRequiredService<GatewayProxyConfig>());
        builder.Services.AddSingleton<ChangeFeedWatcher>();
        builder.Services.AddHostedService(sp => sp.GetRequiredService<ChangeFeedWatcher>());
        builder.Services.AddHealthChecks().AddCheck<RoutesReadyCheck>("routes", tags: [ServiceDefaultsExtensions.ReadyTag]);
        builder.Services.AddAuthentication(ApiKeyAuthenticationHandler.SchemeName)
            .AddScheme<AuthenticationSchemeOptions, ApiKeyAuthenticationHandler>(ApiKeyAuthenticationHandler.SchemeName, null)
            .AddScheme<AuthenticationSchemeOptions, MemberAuthenticationHandler>(MemberAuthenticationHandler.SchemeName, null)
            .AddAdminJwt();
        builder.Services.AddSingleton<IAuthorizationMiddlewareResultHandler, UniformAuthorizationResults>();
        builder.Services.AddAuthorizationBuilder()
            // API keys are the default scheme, so the middleware has already authenticated the caller; naming the
            // scheme here too would make the policy evaluator authenticate again and merge a new principal on
            // every data request.
            .AddPolicy(GatewayProxyConfig.TenantPolicy, p => p
                .RequireAuthenticatedUser()
                .RequireClaim(GatewayClaims.Tenant)
                .AddRequirements(new TenantNotSuspended(), new TenantRouteAccess()))
            // A member is a principal like a key: tenant and role claims, judged by the same requirements.
            .AddPolicy(GatewayProxyConfig.MemberPolicy, p => p
                .AddAuthenticationSchemes(MemberAuthenticationHandler.SchemeName)
                .RequireAuthenticatedUser()
                .RequireClaim(GatewayClaims.Tenant)
                .AddRequirements(new TenantNotSuspended(), new TenantRouteAccess()))
            .AddPolicy(GatewayProxyConfig.UserPolicy, p => p
                .AddAuthenticationSchemes(AdminJwt.SchemeName)
                .RequireAuthenticatedUser()
                .RequireClaim("email"))
            .AddPolicy(GatewayProxyConfig.TenantPathPolicy, p => p
                .AddAuthenticationSchemes(ApiKeyAuthenticationHandler.SchemeName, AdminJwt.SchemeName)
                .RequireAuthenticatedUser())
            .AddPolicy(GatewayProxyConfig.AdminPolicy, p => p
                .AddAuthenticationSchemes(AdminJwt.SchemeName)
                .RequireAuthenticatedUser()
                .RequireClaim(AdminJwt.RoleClaim, Contracts.Identity.Roles.PlatformAdmin));
        builder.Services.AddRateLimiter(o =>
        {
            o.RejectionStatusCode = StatusCodes.Status429TooManyRequests;
            o.AddPolicy<string, Limits.PlanRateLimiterPolicy>(Limits.PlanRateLimiterPolicy.Name);
        });
        builder.Services.AddSingleton<IForwarderHttpClientFactory, BufferedForwarding>();
        builder.Services.AddReverseProxy().AddTransforms(context =>
            EngineForwarding.AddTransforms(
                context,
                context.Services.GetRequiredService<RoutingTable>(),
                context.Services.GetRequiredService<TimeProvider>(),
                context.Services.GetRequiredService<ControlPlaneClient>()));
        builder.Services.AddCors();
        builder.Services.AddOptions<CorsOptions>().Configure<IOptions<GatewayOptions>>((cors, gateway) =>
            cors.AddPolicy(PortalCors, p => p
                .WithOrigins([.. gateway.Value.CorsOrigins])
                .WithMethods("GET", "POST", "PUT", "PATCH", "DELETE")
                .WithHeaders("Authorization", "Content-Type", HeaderNames.ApiKey, "Idempotency-Key", HeaderNames.RequestId, "traceparent")
                .WithExposedHeaders("Retry-After", "RateLimit-Limit", "RateLimit-Remaining", "RateLimit-Reset", HeaderNames.RequestId)
                .SetPreflightMaxAge(TimeSpan.FromMinutes(10))));
        // HTTPS is Kestrel's own configuration (Kestrel:Endpoints:Https with a certificate); see docs/design/gateway.md.
        // Requests run on the socket thread that read them, without a hop to the thread pool (see Program.cs on
        // inline completions). Safe here because nothing on the gateway's request path blocks or computes for
        // long: credentials come from caches or asynchronous calls, the body is forwarded, not parsed. It cut
        // the gateway's CPU per proxied search from 371 to 270 us with one client (gateway benchmark).
        // Reads go straight into a pooled buffer: waiting for data first with a zero-byte read costs a one-byte peek
        // (recvfrom with MSG_PEEK) before every real read, one more system call per request on each connection.
        builder.WebHost.UseSockets(o =>
        {
            o.UnsafePreferInlineScheduling = true;
            o.WaitForDataBeforeAllocatingBuffer = false;
        });
        builder.WebHost.ConfigureKestrel(k =>
        {
            var gateway = k.ApplicationServices.GetRequiredService<IOptions<GatewayOptions>>().Value;
            k.AddServerHeader = false;
            // A client that reads an answer slower than this is cut off, and the engine's answer with it.
            k.Limits.MinResponseDataRate = new Microsoft.AspNetCore.Server.Kestrel.Core.MinDataRate(gateway.MinResponseBytesPerSecond, gateway.SlowResponseGrace);
            k.Limits.MaxRequestBodySize = Contracts.Limits.MaxRequestBodyBytes;
            k.Limits.MaxRequestHeadersTotalSize = RequestLimits.KestrelHeaderBytes;
            ContentLengthSpelling.Apply(k);
        });
        return builder;
    }

    /// <summary>The middleware and the proxy.</summary>
    public static WebApplication UseGateway(this WebApplication app)
    {
        ArgumentNullException.ThrowIfNull(app);
        app.UseMetricsEndpoint(); // on its own loopback port (Metrics:Port), before anything public
        app.Use(SecurityHeaders.ApplyAsync);
        app.UseProblemDefaults();
        app.Use(RequestShape.CheckAsync);
        app.Use(RequestLimits.CheckAsync);
        app.UseCors(PortalCors);
        app.Use(Limits.AddressLimits.SignInAsync);
        app.MapDefaultEndpoints();
        app.MapApiReference();
        // Requests no endpoint took and no API prefix owns: the portal's files and its routes (Portal/PortalFiles.cs).
        app.UseMiddleware<Portal.PortalFiles>();
        app.Use(MemberPaths.RewriteAsync);
        app.Use(DataRoutes.CheckAsync);
        app.UseAuthentication();
        app.UseAuthorization();
        // The data routes' limits, in this order: a request over its quota takes no token; the plan's rate limit is the
        // routes' named policy (Limits/PlanRateLimiterPolicy.cs).
        app.Use(EngineRequest.DescribeAsync);
        app.Use(RequestStats.RecordAsync);
        app.Use(UnitsOfRefusals.MarkAsync);
        app.Use(PaymentCheck.CheckAsync);
        app.Use(QuotaCheck.CheckAsync);
        app.UseRateLimiter();
        app.MapReverseProxy(pipeline =>
        {
            // One destination per request (the caller's tenant, or the control plane): no affinity,
            // balancing or passive health steps to pay for; the forwarder takes the only destination.
            // Who may call a route is the routes' authorization policy (Authorization/); what follows are the
            // limits of a data request, each its own step, then its metering.
            pipeline.Use(ProxyErrors.MapAsync);
            pipeline.Use(JsonBodies.CheckAsync);
            pipeline.Use(TenantDestination.SelectAsync);
            pipeline.Use(InFlightAdmission.AdmitAsync);
            pipeline.Use(RequestBilling.MeterAsync);
        });
        return app;
    }
}
