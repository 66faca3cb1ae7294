using Microsoft.Extensions.Options;
using Piramid.ControlPlane.Access;
using Piramid.ControlPlane.Accounts;
using Piramid.ControlPlane.Admin;
using Piramid.ControlPlane.Auditing;
using Piramid.ControlPlane.Auditing.Sinks;
using Piramid.ControlPlane.Backups;
using Piramid.ControlPlane.Billing;
using Piramid.ControlPlane.Exports;
using Piramid.ControlPlane.Identity;
using Piramid.ControlPlane.Internal;
using Piramid.ControlPlane.Keys;
using Piramid.ControlPlane.Members;
using Piramid.ControlPlane.Observability;
using Piramid.ControlPlane.Operations;
using Piramid.ControlPlane.Orchestration;
using Piramid.ControlPlane.Tenants;
using Piramid.ControlPlane.Usage;
using Piramid.ServiceDefaults;

namespace Piramid.ControlPlane.Hosting;

/// <summary>Builds the control plane; Program.cs and the tests use the same composition.</summary>
public static class ControlPlaneApp
{
    /// <summary>Creates the fully configured application.</summary>
    public static WebApplication Build(string[] args, Action<WebApplicationBuilder>? configure = null)
    {
        // Settings (appsettings.json) live next to the binary, whatever directory it is started from.
        var builder = WebApplication.CreateBuilder(new WebApplicationOptions { Args = args, ContentRootPath = AppContext.BaseDirectory });
        configure?.Invoke(builder);
        builder.AddServiceDefaults("piramid-control-plane", BackupTelemetry.MeterName);
        builder.AddControlPlaneDatabase();
        builder.AddControlPlaneIdentity();
        builder.AddAccounts();
        builder.AddTenantAccess();
        builder.AddMembers();
        builder.AddLocalOrchestrator();
        builder.Services.AddHttpContextAccessor();
        builder.Services.AddSingleton<IValidateOptions<TenantOptions>, TenantOptionsValidator>();
        builder.Services.AddOptions<TenantOptions>().BindConfiguration(TenantOptions.Section).ValidateOnStart();
        builder.Services.AddScoped<ApiKeyService>();
        builder.Services.AddScoped<AuditTrail>();
        builder.Services.AddScoped<TenantService>();
        builder.Services.AddScoped<UsageStore>();
        builder.Services.AddScoped<AuthFailureIntake>();
        builder.Services.AddScoped<KeyUseIntake>();
        builder.Services.AddScoped<AuditLog>();
        builder.Services.AddHostedService<TenantPurger>();
        builder.AddRetention();
        builder.AddAuditExport();
        builder.AddAuditSinks();
        builder.AddOperations();
        builder.AddBackups();
        builder.AddExports();
        builder.AddBilling();
        builder.AddRequestMetrics();
        // The binder throws, so RequestInputGuard can name the field and the problem instead of an empty 400.
        builder.Services.Configure<Microsoft.AspNetCore.Routing.RouteHandlerOptions>(o => o.ThrowOnBadRequest = true);
        builder.Services.ConfigureHttpJsonOptions(o => Piramid.Contracts.Json.WireJson.ConfigureServer(o.SerializerOptions));

        var app = builder.Build();
        // The metrics port (Metrics:Port) first: Prometheus presents no credential there, and nothing else is served on it.
        app.UsePrometheusTargets();
        app.UseMetricsEndpoint();
        app.UseProblemDefaults();
        app.UseMiddleware<RequestInputGuard>();
        app.UseAuthentication();
        // Before authorization, so that its refusals (a tenant's key on another tenant's path) name the client's path.
        app.Use(ClientPaths.ApplyAsync);
        app.UseAuthorization();
        app.MapDefaultEndpoints();
        app.MapControlPlaneIdentity();
        app.MapAccountsApi();
        app.MapTenantsApi();
        app.MapApiKeysApi();
        app.MapMembersApi();
        app.MapPlansApi();
        app.MapUsageApi();
        app.MapMetricsApi();
        app.MapAuditSinkApi();
        app.MapInternalApi();
        app.MapOperationsApi();
        app.MapBackupsApi();
        app.MapExportsApi();
        app.MapBillingApi();
        return app;
    }
}
