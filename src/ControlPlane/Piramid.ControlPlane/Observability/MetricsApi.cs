using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;
using Piramid.Contracts.Metrics;
using Piramid.Contracts.Problems;
using Piramid.ControlPlane.Access;
using Piramid.ControlPlane.Data;
using Piramid.ControlPlane.Identity;
using Piramid.ServiceDefaults;

namespace Piramid.ControlPlane.Observability;

/// <summary>
/// The charts' figures: <c>GET /v1/tenants/{id}/metrics</c> (the tenant's admins and operators; a tenant admin key's
/// <c>/v1/metrics</c> comes here through the gateway) and <c>GET /v1/platform/metrics</c> (operators).
/// </summary>
public static class MetricsApi
{
    /// <summary>Maps both endpoints.</summary>
    public static IEndpointRouteBuilder MapMetricsApi(this IEndpointRouteBuilder app)
    {
        app.MapGet("/v1/tenants/{id}/metrics", GetTenant).RequireAuthorization(TenantPolicies.Admin);
        app.MapGet("/v1/platform/metrics", GetPlatform).RequireAuthorization(IdentityPolicies.PlatformAdmin);
        return app;
    }

    private static async Task<Ok<MetricsSummary>> GetTenant(HttpContext context, string id, string? window, ControlPlaneDbContext db, RequestMetricsStore store, CancellationToken ct)
    {
        var chosen = WindowOf(context, window);
        if (!await db.Tenants.AnyAsync(t => t.Id == id, ct))
        {
            throw new ProblemException(ProblemCatalog.NotFound, $"No tenant '{id}'.");
        }

        return TypedResults.Ok(await store.SummaryAsync(id, chosen, ct));
    }

    private static async Task<Ok<MetricsSummary>> GetPlatform(HttpContext context, string? window, RequestMetricsStore store, CancellationToken ct) =>
        TypedResults.Ok(await store.SummaryAsync(null, WindowOf(context, window), ct));

    // A repeated window is refused by name (binding would join the values with a comma, which no window matches).
    private static MetricsWindow WindowOf(HttpContext context, string? window)
    {
        var names = string.Join(", ", MetricsWindow.All.Select(w => w.Name));
        if (context.Request.Query["window"].Count > 1)
        {
            throw new ProblemException(ProblemCatalog.InvalidRequest, $"Give 'window' once: one of {names}.");
        }

        if (window is null)
        {
            return MetricsWindow.Default;
        }

        return MetricsWindow.Find(window)
            ?? throw new ProblemException(ProblemCatalog.InvalidRequest, $"'window' must be one of {names}.");
    }
}
