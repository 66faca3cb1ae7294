using System.Text.Json;
using Microsoft.AspNetCore.Http.HttpResults;
using Piramid.Contracts.Admin;
using Piramid.Contracts.Problems;
using Piramid.ControlPlane.Access;
using Piramid.ControlPlane.Usage;
using Piramid.ServiceDefaults;

namespace Piramid.ControlPlane.Admin;

/// <summary>A tenant's usage and audit trail for operators and the tenant's admins: <c>/v1/tenants/{id}/usage</c> and <c>/v1/tenants/{id}/audit</c>.</summary>
public static class UsageApi
{
    private const string NdJson = "application/x-ndjson";

    private static readonly JsonSerializerOptions Json = Piramid.Contracts.Json.WireJson.Options;

    /// <summary>Maps both endpoints.</summary>
    public static IEndpointRouteBuilder MapUsageApi(this IEndpointRouteBuilder app)
    {
        var group = app.MapGroup("/v1/tenants/{id}")
            .RequireAuthorization(TenantPolicies.Admin);
        group.MapGet("/usage", GetUsage);
        group.MapGet("/audit", GetAudit);
        return app;
    }

    private static async Task<Ok<TenantUsage>> GetUsage(string id, DateOnly? from, DateOnly? to, UsageStore usage, CancellationToken ct) =>
        TypedResults.Ok(await usage.GetAsync(id, from, to, ct));

    private static async Task<IResult> GetAudit(
        HttpContext context, string id, DateTimeOffset? from, DateTimeOffset? to, string? cursor, int? limit, AuditLog audit, CancellationToken ct)
    {
        if (context.Request.Query.ContainsKey("after"))
        {
            // The numeric 'after' of earlier versions: refused by name rather than ignored, which would restart at page one.
            throw new ProblemException(ProblemCatalog.InvalidRequest, "'after' is no longer accepted; pass the previous page's 'next_cursor' as 'cursor'.");
        }

        if (!context.Request.Headers.Accept.ToString().Contains(NdJson, StringComparison.OrdinalIgnoreCase))
        {
            return TypedResults.Ok(await audit.PageAsync(id, from, to, cursor, limit, ct));
        }

        // The export: one JSON object per line, streamed, so a year of events never sits in memory.
        var events = audit.ExportAsync(id, from, to, ct);
        await using var enumerator = events.GetAsyncEnumerator(ct);
        var hasFirst = await enumerator.MoveNextAsync(); // surfaces 404/400 before the response starts
        context.Response.ContentType = NdJson;
        if (hasFirst)
        {
            do
            {
                await JsonSerializer.SerializeAsync(context.Response.Body, enumerator.Current, Json, ct);
                await context.Response.Body.WriteAsync("\n"u8.ToArray(), ct);
            }
            while (await enumerator.MoveNextAsync());
        }

        return Results.Empty;
    }
}
