using System.Text.Json;
using Microsoft.AspNetCore.Http.HttpResults;
using Piramid.Contracts.Admin;
using Piramid.Contracts.Auditing;
using Piramid.Contracts.Problems;
using Piramid.ControlPlane.Access;
using Piramid.ControlPlane.Auditing;
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
        HttpContext context, string id, DateTimeOffset? from, DateTimeOffset? to, string? source, string? actor, string? action,
        string? cursor, int? limit, AuditLog audit, AuditAnchors anchors, CancellationToken ct)
    {
        if (context.Request.Query.ContainsKey("after"))
        {
            // The numeric 'after' of earlier versions: refused by name rather than ignored, which would restart at page one.
            throw new ProblemException(ProblemCatalog.InvalidRequest, "'after' is no longer accepted; pass the previous page's 'next_cursor' as 'cursor'.");
        }

        var filter = new AuditFilter(from, to, source, actor, action);
        if (!context.Request.Headers.Accept.ToString().Contains(NdJson, StringComparison.OrdinalIgnoreCase))
        {
            return TypedResults.Ok(await audit.PageAsync(id, filter, cursor, limit, ct));
        }

        // The export: one JSON object per line, streamed, so a year of events never sits in memory. It ends with the
        // anchors of the range; without 'to', the last one is signed now, before the entries are read, so the export
        // reaches at least the head it names (docs/design/audit-log.md).
        if (filter.WantsData && to is null)
        {
            await audit.CheckAsync(id, filter, ct);
            await anchors.AnchorAsync(id, ct);
        }

        var events = audit.ExportAsync(id, filter, ct);
        await using var enumerator = events.GetAsyncEnumerator(ct);
        var hasFirst = await enumerator.MoveNextAsync(); // surfaces 404/400/503 before the response starts
        context.Response.ContentType = NdJson;
        if (hasFirst)
        {
            do
            {
                await WriteLineAsync(context, enumerator.Current, ct);
            }
            while (await enumerator.MoveNextAsync());
        }

        if (filter.WantsData)
        {
            foreach (var anchor in await anchors.ListAsync(id, from, to, ct))
            {
                await WriteLineAsync(context, new AuditExportAnchorLine(anchor), ct);
            }
        }

        return Results.Empty;
    }

    private static async Task WriteLineAsync<T>(HttpContext context, T value, CancellationToken ct)
    {
        await JsonSerializer.SerializeAsync(context.Response.Body, value, Json, ct);
        await context.Response.Body.WriteAsync("\n"u8.ToArray(), ct);
    }
}
