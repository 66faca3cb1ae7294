using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using Piramid.Contracts.Admin;
using Piramid.ControlPlane.Data;
using Piramid.ControlPlane.Data.Entities;
using Piramid.ControlPlane.Usage;
using Piramid.ServiceDefaults;

namespace Piramid.ControlPlane.Auditing.Sinks;

/// <summary>
/// One delivery step of one sink (docs/design/audit-sinks.md): read the next entries after its cursor (both sources
/// merged in time order, only those older than <see cref="AuditSinkOptions.SettleDelay"/>), hand them to the sink, and
/// only then move the cursor in PostgreSQL. A failure leaves the cursor and records the error and the backlog, so the
/// entries wait (they stay stored) and the next step sends them again.
/// </summary>
public sealed partial class AuditSinkDelivery(
    ControlPlaneDbContext db,
    AuditLog audit,
    EngineAuditClient engines,
    AuditAnchors anchors,
    SinkSecretProtector secrets,
    SyslogSinkWriter syslog,
    S3SinkWriter s3,
    AuditSinkTelemetry telemetry,
    IOptions<AuditSinkOptions> options,
    TimeProvider time,
    ILogger<AuditSinkDelivery> logger)
{
    /// <summary>Delivers the next batch of <paramref name="sink"/>; true when a full batch went (more may be waiting).</summary>
    public async Task<bool> RunOnceAsync(AuditSinkRecord sink, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(sink);
        var settings = options.Value;
        var now = time.GetUtcNow();
        var start = new SinkPosition(sink.ControlCursor, sink.DataCursor);
        // A stopped engine (hibernated, restarting) cannot be read: its entries wait, the control plane's go on.
        var withData = engines.IsRunning(sink.TenantId);
        var filter = new AuditFilter(null, now - settings.SettleDelay, withData ? null : AuditSources.Control, null, null);
        List<AuditEventInfo> batch;
        long backlog;
        try
        {
            if (withData && sink.Kind == AuditSinkKinds.S3)
            {
                // Anchor the head first, so the objects of this step carry an anchor of the entries they hold (an
                // anchor taken later would name entries already delivered, and no object would carry it).
                await anchors.AnchorAsync(sink.TenantId, ct);
            }

            batch = await audit.ReadAfterAsync(sink.TenantId, filter, (start.Control, start.Data), settings.BatchSize, ct);
            backlog = await BacklogAsync(sink, withData, ct);
        }
        catch (ProblemException e)
        {
            // The engine stopped between the check and the read: nothing was sent, the next step tries again.
            await FailAsync(sink, backlog: sink.Backlog, e.Message, now, ct);
            return false;
        }

        if (batch.Count == 0)
        {
            await RecordAsync(sink, start, backlog, now, delivered: false, ct);
            return false;
        }

        try
        {
            await SendAsync(sink, start, batch, ct);
        }
        catch (Exception e) when (e is not OperationCanceledException || !ct.IsCancellationRequested)
        {
            DeliveryFailed(logger, sink.TenantId, sink.Kind, e.Message);
            telemetry.Failed(sink.Kind);
            await FailAsync(sink, backlog, e.Message, now, ct);
            return false;
        }

        var next = new SinkPosition(
            batch.LastOrDefault(e => e.Source == AuditSources.Control)?.Seq ?? start.Control,
            batch.LastOrDefault(e => e.Source == AuditSources.Data)?.Seq ?? start.Data);
        telemetry.Delivered(sink.Kind, batch.Count);
        await RecordAsync(sink, next, Math.Max(0, backlog - batch.Count), now, delivered: true, ct);
        return batch.Count == settings.BatchSize;
    }

    private async Task SendAsync(AuditSinkRecord sink, SinkPosition start, List<AuditEventInfo> batch, CancellationToken ct)
    {
        if (sink.Kind == AuditSinkKinds.Syslog)
        {
            await syslog.WriteAsync(sink.Host!, sink.Port!.Value, sink.TenantId, batch, ct);
            return;
        }

        var lastData = batch.LastOrDefault(e => e.Source == AuditSources.Data)?.Seq ?? start.Data;
        var anchors = await db.AuditAnchors.AsNoTracking()
            .Where(a => a.TenantId == sink.TenantId && a.EngineSeq > start.Data && a.EngineSeq <= lastData)
            .OrderBy(a => a.Id)
            .Select(a => new Piramid.Contracts.Auditing.AuditAnchor(a.TenantId, a.EngineSeq, a.EngineHash, a.SignedAt, a.Signature, a.ControlSeq, a.ControlHash))
            .ToListAsync(ct);
        var target = new S3Target(new Uri(sink.Endpoint!), sink.Bucket!, sink.Region!, sink.Prefix, sink.AccessKeyId!,
            secrets.Unprotect(sink.TenantId, sink.SecretSealed!));
        await s3.WriteAsync(target, sink.TenantId, start, batch, anchors, ct);
    }

    // Entries stored and not delivered: the control plane's by count, the engine's from its head (while it runs).
    private async Task<long> BacklogAsync(AuditSinkRecord sink, bool withData, CancellationToken ct)
    {
        var control = await db.AuditEvents.LongCountAsync(e => e.TenantId == sink.TenantId && e.Id > sink.ControlCursor, ct);
        if (!withData)
        {
            return control;
        }

        var head = (await engines.ReadAsync(sink.TenantId, sink.DataCursor, 1, ct)).Head.Seq;
        return control + Math.Max(0, head - sink.DataCursor);
    }

    // The cursor moves only if the configuration is still the one delivered to (a PUT in between bumps the version).
    private async Task RecordAsync(AuditSinkRecord sink, SinkPosition position, long backlog, DateTimeOffset now, bool delivered, CancellationToken ct)
    {
        telemetry.RecordBacklog(sink.TenantId, sink.Kind, backlog);
        var lastDelivered = delivered ? now : sink.LastDeliveredAt;
        await db.AuditSinks.Where(s => s.TenantId == sink.TenantId && s.Version == sink.Version).ExecuteUpdateAsync(u => u
            .SetProperty(s => s.ControlCursor, position.Control)
            .SetProperty(s => s.DataCursor, position.Data)
            .SetProperty(s => s.LastDeliveredAt, lastDelivered)
            .SetProperty(s => s.LastAttemptAt, now)
            .SetProperty(s => s.Backlog, backlog)
            .SetProperty(s => s.LastError, (string?)null)
            .SetProperty(s => s.LastErrorAt, (DateTimeOffset?)null), ct);
        sink.ControlCursor = position.Control;
        sink.DataCursor = position.Data;
        sink.LastDeliveredAt = lastDelivered;
    }

    private async Task FailAsync(AuditSinkRecord sink, long backlog, string error, DateTimeOffset now, CancellationToken ct)
    {
        telemetry.RecordBacklog(sink.TenantId, sink.Kind, backlog);
        var message = error.Length > 1024 ? error[..1024] : error;
        await db.AuditSinks.Where(s => s.TenantId == sink.TenantId && s.Version == sink.Version).ExecuteUpdateAsync(u => u
            .SetProperty(s => s.LastAttemptAt, now)
            .SetProperty(s => s.Backlog, backlog)
            .SetProperty(s => s.LastError, message)
            .SetProperty(s => s.LastErrorAt, now), ct);
        sink.LastError = message;
    }

    [LoggerMessage(EventId = 4301, Level = LogLevel.Warning, Message = "Audit sink of tenant {TenantId} ({Kind}) refused delivery; entries wait: {Error}")]
    private static partial void DeliveryFailed(ILogger logger, string tenantId, string kind, string error);
}
