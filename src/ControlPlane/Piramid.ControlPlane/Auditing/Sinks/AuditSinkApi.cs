using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using Piramid.Contracts.Admin;
using Piramid.Contracts.Problems;
using Piramid.ControlPlane.Access;
using Piramid.ControlPlane.Data;
using Piramid.ControlPlane.Data.Entities;
using Piramid.ServiceDefaults;

namespace Piramid.ControlPlane.Auditing.Sinks;

/// <summary>
/// <c>/v1/tenants/{id}/audit/sink</c> (and, through the gateway, <c>/v1/audit/sink</c> for a tenant admin key):
/// configure, read and remove the tenant's audit sink. The secret key is write-only.
/// </summary>
public static class AuditSinkApi
{
    /// <summary>Action recorded when a sink is configured or changed.</summary>
    public const string ConfigureAction = "audit_sink.configure";

    /// <summary>Action recorded when a sink is removed.</summary>
    public const string DeleteAction = "audit_sink.delete";

    /// <summary>Maps the three endpoints.</summary>
    public static IEndpointRouteBuilder MapAuditSinkApi(this IEndpointRouteBuilder app)
    {
        var group = app.MapGroup("/v1/tenants/{id}/audit/sink").RequireAuthorization(TenantPolicies.Admin);
        group.MapPut("/", Put);
        group.MapGet("/", Get);
        group.MapDelete("/", Delete);
        return app;
    }

    private static async Task<Ok<AuditSinkInfo>> Put(
        string id, AuditSinkRequest request, ControlPlaneDbContext db, SinkSecretProtector secrets, AuditTrail trail,
        IOptions<AuditSinkOptions> options, TimeProvider time, CancellationToken ct)
    {
        // PUTs of one tenant take turns on its row: two first PUTs at once would both insert (a unique violation, a
        // 500); in turn, the second finds the first's sink and updates it.
        await using var transaction = await db.Database.BeginTransactionAsync(ct);
        await db.Database.ExecuteSqlInterpolatedAsync($"SELECT 1 FROM tenants WHERE id = {id} FOR UPDATE", ct);
        await RequireTenantAsync(db, id, ct);
        var sink = await db.AuditSinks.FirstOrDefaultAsync(s => s.TenantId == id, ct);
        AuditSinkValidation.Validate(request, hasStoredSecret: sink is { Kind: AuditSinkKinds.S3, SecretSealed: not null }, options.Value.AllowPrivateAddresses);
        var before = sink is null ? null : ToInfo(sink);
        var now = time.GetUtcNow();
        if (sink is null)
        {
            sink = new AuditSinkRecord { TenantId = id, Kind = request.Kind!, CreatedAt = now };
            db.AuditSinks.Add(sink);
        }

        // Another destination starts from the tenant's first entry; new credentials for the same one keep the cursor.
        if (Destination(sink) != Destination(request))
        {
            sink.ControlCursor = 0;
            sink.DataCursor = 0;
            sink.AnchorCursor = 0;
            sink.LastDeliveredAt = null;
            sink.LastAttemptAt = null;
            sink.LastError = null;
            sink.LastErrorAt = null;
        }

        sink.Kind = request.Kind!;
        sink.Endpoint = request.Endpoint;
        sink.Bucket = request.Bucket;
        sink.Region = request.Kind == AuditSinkKinds.S3 ? request.Region ?? "us-east-1" : null;
        sink.Prefix = request.Prefix;
        sink.AccessKeyId = request.AccessKeyId;
        sink.SecretSealed = request.Kind != AuditSinkKinds.S3 ? null
            : request.SecretAccessKey is { } secret ? secrets.Protect(id, secret) : sink.SecretSealed;
        sink.Host = request.Host;
        sink.Port = request.Port;
        sink.Version++;
        sink.UpdatedAt = now;
        var info = ToInfo(sink);
        trail.Record(ConfigureAction, "audit_sink", id, id, before, info);
        await db.SaveChangesAsync(ct);
        await transaction.CommitAsync(ct);
        return TypedResults.Ok(info);
    }

    private static async Task<Ok<AuditSinkInfo>> Get(string id, ControlPlaneDbContext db, CancellationToken ct)
    {
        await RequireTenantAsync(db, id, ct);
        var sink = await db.AuditSinks.AsNoTracking().FirstOrDefaultAsync(s => s.TenantId == id, ct)
            ?? throw new ProblemException(ProblemCatalog.NotFound, $"Tenant '{id}' has no audit sink.");
        return TypedResults.Ok(ToInfo(sink));
    }

    private static async Task<NoContent> Delete(string id, ControlPlaneDbContext db, AuditTrail trail, AuditSinkTelemetry telemetry, CancellationToken ct)
    {
        await RequireTenantAsync(db, id, ct);
        var sink = await db.AuditSinks.FirstOrDefaultAsync(s => s.TenantId == id, ct)
            ?? throw new ProblemException(ProblemCatalog.NotFound, $"Tenant '{id}' has no audit sink.");
        db.AuditSinks.Remove(sink);
        trail.Record<AuditSinkInfo>(DeleteAction, "audit_sink", id, id, ToInfo(sink), null);
        await db.SaveChangesAsync(ct);
        telemetry.Forget(id);
        return TypedResults.NoContent();
    }

    private static async Task RequireTenantAsync(ControlPlaneDbContext db, string id, CancellationToken ct)
    {
        if (!await db.Tenants.AnyAsync(t => t.Id == id, ct))
        {
            throw new ProblemException(ProblemCatalog.NotFound, $"Tenant '{id}' does not exist.");
        }
    }

    private static string Destination(AuditSinkRecord s) => $"{s.Kind}|{s.Endpoint}|{s.Bucket}|{s.Prefix}|{s.Host}|{s.Port}";

    private static string Destination(AuditSinkRequest r) => $"{r.Kind}|{r.Endpoint}|{r.Bucket}|{r.Prefix}|{r.Host}|{r.Port}";

    /// <summary>The API shape of a sink: never its secret.</summary>
    public static AuditSinkInfo ToInfo(AuditSinkRecord s) => new()
    {
        TenantId = s.TenantId,
        Kind = s.Kind,
        Endpoint = s.Endpoint,
        Bucket = s.Bucket,
        Region = s.Region,
        Prefix = s.Prefix,
        AccessKeyId = s.AccessKeyId,
        Host = s.Host,
        Port = s.Port,
        State = s.LastError is not null ? "failing" : s.LastAttemptAt is null ? "pending" : "delivering",
        DeliveredControlSeq = s.ControlCursor,
        DeliveredDataSeq = s.DataCursor,
        LastDeliveredAt = s.LastDeliveredAt,
        Backlog = s.Backlog,
        LastError = s.LastError,
        LastErrorAt = s.LastErrorAt,
        GapEvents = s.GapEvents,
        LastGapAt = s.LastGapAt,
        CreatedAt = s.CreatedAt,
        UpdatedAt = s.UpdatedAt,
    };
}
