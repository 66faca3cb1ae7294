using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using Piramid.Contracts.Admin;
using Piramid.Contracts.Problems;
using Piramid.ControlPlane.Admin;
using Piramid.ControlPlane.Billing;
using Piramid.ControlPlane.Data;
using Piramid.ControlPlane.Data.Entities;
using Piramid.ControlPlane.Identity;
using Piramid.ControlPlane.Keys;
using Piramid.ControlPlane.Orchestration;
using Piramid.ControlPlane.Tenants;
using Piramid.ControlPlane.Usage;
using Piramid.ServiceDefaults;

namespace Piramid.ControlPlane.Internal;

/// <summary>
/// What the gateway needs and nobody else may call: key introspection, the routing table, a long-polled
/// change feed so revocations and moves reach it within a second or two, and its usage and auth-failure reports.
/// </summary>
public static class InternalApi
{
    private static readonly TimeSpan PollStep = TimeSpan.FromMilliseconds(200);

    /// <summary>Maps <c>/internal/v1</c>.</summary>
    public static IEndpointRouteBuilder MapInternalApi(this IEndpointRouteBuilder app)
    {
        var group = app.MapGroup("/internal/v1")
            .RequireAuthorization(IdentityPolicies.Gateway);
        group.MapPost("/keys/introspect", Introspect);
        group.MapPost("/members/introspect", IntrospectMember);
        group.MapGet("/routes", Routes);
        group.MapGet("/changes", Changes);
        group.MapPost("/usage", ReportUsage);
        group.MapPost("/auth-failures", ReportAuthFailures);
        group.MapPost("/key-uses", ReportKeyUses);
        group.MapPost("/engine-activity", ReportActivity);
        group.MapPost("/engines/{tenantId}/wake", Wake);
        group.MapPost("/request-stats", ReportRequestStats);
        return app;
    }

    private static async Task<Ok<KeyIntrospectionResponse>> Introspect(
        KeyIntrospectionRequest request, ApiKeyService keys, ControlPlaneDbContext db, IOptions<BillingOptions> billing, CancellationToken ct)
    {
        byte[] hash;
        try
        {
            hash = Convert.FromBase64String(request.SecretSha256 ?? string.Empty);
        }
        catch (FormatException)
        {
            throw new ProblemException(ProblemCatalog.InvalidRequest, "'secret_sha256' must be base64.");
        }

        if (string.IsNullOrEmpty(request.KeyId) || hash.Length != 32)
        {
            throw new ProblemException(ProblemCatalog.InvalidRequest, "Give 'key_id' and the base64 SHA-256 'secret_sha256'.");
        }

        var changesThrough = await ChangesThroughAsync(db, ct);
        var result = await keys.IntrospectAsync(request.KeyId, hash, ct)
            ?? throw new ProblemException(ProblemCatalog.NotFound, "No valid key matches.");
        return TypedResults.Ok(new KeyIntrospectionResponse
        {
            KeyId = result.KeyId,
            TenantId = result.TenantId,
            Role = result.Role,
            Collections = result.Collections,
            ExpiresAt = result.ExpiresAt,
            Plan = result.Plan.ToInfo(),
            TenantSuspended = result.TenantSuspended,
            WritesRefusedFrom = await PaymentStanding.WritesRefusedFromAsync(db, billing.Value, result.TenantId, result.Plan.Id, ct),
            ChangesThrough = changesThrough,
        });
    }

    // A person acting for a tenant on the data API: their membership, answered like a key of their role so the
    // gateway applies the same plan, limits and billing. Not a member, or the tenant gone: 404, as for a bad key.
    private static async Task<Ok<KeyIntrospectionResponse>> IntrospectMember(
        MemberIntrospectionRequest request, ControlPlaneDbContext db, IOptions<BillingOptions> billing, CancellationToken ct)
    {
        if (string.IsNullOrEmpty(request.TenantId) || !Guid.TryParse(request.UserId, out var userId))
        {
            throw new ProblemException(ProblemCatalog.InvalidRequest, "Give 'tenant_id' and the user id 'user_id'.");
        }

        var changesThrough = await ChangesThroughAsync(db, ct);
        var row = await db.TenantMembers.AsNoTracking()
            .Where(m => m.TenantId == request.TenantId && m.UserId == userId)
            .Select(m => new { m.Role, m.Tenant!.Status, Plan = m.Tenant.Plan! })
            .SingleOrDefaultAsync(ct);
        if (row is null || row.Status is not (TenantStatus.Active or TenantStatus.Suspended))
        {
            throw new ProblemException(ProblemCatalog.NotFound, "No such member.");
        }

        return TypedResults.Ok(new KeyIntrospectionResponse
        {
            KeyId = MemberPrincipal + userId.ToString("D"),
            TenantId = request.TenantId,
            Role = Contracts.Identity.MemberRoles.ToDataPlaneRole(row.Role),
            Collections = [],
            Plan = row.Plan.ToInfo(),
            TenantSuspended = row.Status == TenantStatus.Suspended,
            WritesRefusedFrom = await PaymentStanding.WritesRefusedFromAsync(db, billing.Value, request.TenantId, row.Plan.Id, ct),
            ChangesThrough = changesThrough,
        });
    }

    // Read before the answer's own rows: every change up to it committed before them (ids commit in order, see the
    // ChangeEventsCommitOrder migration), so the answer reflects them all.
    private static async Task<long> ChangesThroughAsync(ControlPlaneDbContext db, CancellationToken ct) =>
        await db.ChangeEvents.MaxAsync(c => (long?)c.Id, ct) ?? 0;

    /// <summary>Prefix of a member's principal on the data plane (a key id never has it).</summary>
    public const string MemberPrincipal = "user:";

    private static async Task<Ok<RouteTable>> Routes(IEngineOrchestrator orchestrator, ControlPlaneDbContext db, CancellationToken ct)
    {
        // Read the feed position first: a change after it is seen on the next poll, never lost between the two.
        var version = await ChangesThroughAsync(db, ct);
        var routes = orchestrator.GetRoutes().Concat(orchestrator.GetHibernatingRoutes()).Select(ToRouteInfo).ToList();
        return TypedResults.Ok(new RouteTable { Routes = routes, Version = version });
    }

    private static RouteInfo ToRouteInfo(EngineRoute route) => new()
    {
        TenantId = route.TenantId,
        Endpoint = route.Endpoint.ToString().TrimEnd('/'),
        EngineSecret = Convert.ToBase64String(route.EngineSecret),
        State = route.State.ToRouteState(),
    };

    // The gateway holds a hibernating tenant's first requests and asks here; concurrent asks start one engine
    // (the orchestrator's per-tenant gate), and every one gets the running route once it is ready.
    private static async Task<Ok<RouteInfo>> Wake(string tenantId, IEngineOrchestrator orchestrator, CancellationToken ct)
    {
        var outcome = await orchestrator.WakeAsync(tenantId, ct);
        return outcome.Result switch
        {
            WakeResult.Running => TypedResults.Ok(ToRouteInfo(outcome.Route!)),
            WakeResult.NoEngine => throw new ProblemException(ProblemCatalog.NotFound, $"Tenant '{tenantId}' has no engine."),
            WakeResult.Stopped => throw new ProblemException(ProblemCatalog.Conflict, $"The engine of tenant '{tenantId}' is stopped on purpose (suspended); a request does not start it."),
            _ => throw new ProblemException(ProblemCatalog.EngineUnavailable, $"The engine of tenant '{tenantId}' did not become ready; it is restarted."),
        };
    }

    private static NoContent ReportActivity(EngineActivityReport report, IEngineOrchestrator orchestrator)
    {
        orchestrator.RecordActivity(report.Tenants);
        return TypedResults.NoContent();
    }

    private static async Task<Ok<ChangeList>> Changes(long? after, int? wait, ControlPlaneDbContext db, TimeProvider time, CancellationToken ct)
    {
        var from = after ?? 0;
        var deadline = time.GetUtcNow() + TimeSpan.FromSeconds(Math.Clamp(wait ?? 0, 0, 30));
        while (true)
        {
            var changes = await db.ChangeEvents.AsNoTracking().Where(c => c.Id > from).OrderBy(c => c.Id).Take(1000).ToListAsync(ct);
            if (changes.Count > 0 || time.GetUtcNow() >= deadline)
            {
                return TypedResults.Ok(new ChangeList
                {
                    Changes = [.. changes.Select(c => new ChangeInfo { Id = c.Id, Kind = c.Kind, Subject = c.Subject, Time = c.Time })],
                    LastId = changes.Count > 0 ? changes[^1].Id : from,
                });
            }

            await Task.Delay(PollStep, time, ct);
        }
    }

    private static async Task<NoContent> ReportRequestStats(Contracts.Metrics.RequestStatsReport report, Observability.RequestMetricsStore metrics, CancellationToken ct)
    {
        await metrics.RecordAsync(report, ct);
        return TypedResults.NoContent();
    }

    private static async Task<Ok<UsageReportResponse>> ReportUsage(UsageReport report, UsageStore usage, CancellationToken ct) =>
        TypedResults.Ok(await usage.RecordAsync(report, ct));

    private static async Task<NoContent> ReportKeyUses(KeyUseReport report, KeyUseIntake uses, CancellationToken ct)
    {
        await uses.RecordAsync(report, ct);
        return TypedResults.NoContent();
    }

    private static async Task<NoContent> ReportAuthFailures(AuthFailureReport report, HttpContext context, AuthFailureIntake failures, CancellationToken ct)
    {
        await failures.RecordAsync(report, Auditing.AuditTrail.Actor(context), ct);
        return TypedResults.NoContent();
    }
}
