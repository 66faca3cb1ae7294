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
    IOptions<AuditExportOptions> exportOptions,
    TimeProvider time,
    ILogger<AuditSinkDelivery> logger)
{
    // Anchors one step looks at; more wait for the next step (a sink new to a long history starts with many).
    private const int MaxAnchorsPerStep = 1000;

    /// <summary>Delivers the next batch of <paramref name="sink"/>; true when a full batch went (more may be waiting).</summary>
    public async Task<bool> RunOnceAsync(AuditSinkRecord sink, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(sink);
        using var background = Orchestration.EngineHolds.Background(); // Delivery neither wakes an engine nor keeps it awake.
        var settings = options.Value;
        var now = time.GetUtcNow();
        var start = new SinkPosition(sink.ControlCursor, sink.DataCursor);
        // A stopped engine (hibernated, restarting) cannot be read: its entries wait, the control plane's go on.
        var withData = engines.IsRunning(sink.TenantId);
        var filter = new AuditFilter(null, null, withData ? null : AuditSources.Control, null, null);
        List<AuditEventInfo> batch;
        List<long> positions;
        SinkPosition next;
        long backlog;
        try
        {
            if (withData && sink.Kind == AuditSinkKinds.S3 && await AnchorDueAsync(sink.TenantId, now, ct))
            {
                // An anchor of the heads for the objects to carry once they hold what it names; at most one per
                // AnchorInterval, however often a failing store makes the step run again.
                await anchors.AnchorAsync(sink.TenantId, ct);
            }

            // Control positions commit in order (AuditEvent.LogSeq): no settle wait, and no event below the cursor can
            // appear later. Engine entries wait SettleDelay.
            var read = await audit.ReadAfterAsync(sink.TenantId, filter, (start.Control, start.Data), now - settings.SettleDelay, settings.BatchSize, ct);
            batch = read.Page;
            positions = read.Positions;
            next = new SinkPosition(read.Control, read.Data);
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
            await SendAsync(sink, start, batch, positions, backlog, now, ct);
        }
        catch (Exception e) when (e is not OperationCanceledException || !ct.IsCancellationRequested)
        {
            DeliveryFailed(logger, sink.TenantId, sink.Kind, e.Message);
            telemetry.Failed(sink.Kind);
            await FailAsync(sink, backlog, e.Message, now, ct);
            return false;
        }

        telemetry.Delivered(sink.Kind, batch.Count);
        await RecordAsync(sink, next, Math.Max(0, backlog - batch.Count), now, delivered: true, ct);
        return batch.Count == settings.BatchSize;
    }

    private async Task SendAsync(
        AuditSinkRecord sink, SinkPosition start, List<AuditEventInfo> batch, List<long> positions, long backlog, DateTimeOffset now, CancellationToken ct)
    {
        if (sink.Kind == AuditSinkKinds.Syslog)
        {
            await syslog.WriteAsync(sink.Host!, sink.Port!.Value, sink.TenantId, batch, ct);
            return;
        }

        // The anchors not carried yet, oldest first. An object carries one only when it and the objects before it hold
        // both positions the anchor names (its engine entry and its control event): the bucket alone then never shows
        // an anchor past its end, which a verifier would report as a cut tail.
        var pending = await db.AuditAnchors.AsNoTracking()
            .Where(a => a.TenantId == sink.TenantId && a.Id > sink.AnchorCursor)
            .OrderBy(a => a.Id)
            .Take(MaxAnchorsPerStep)
            .ToListAsync(ct);
        var chain = await db.AuditEvents.AsNoTracking()
            .Where(e => e.TenantId == sink.TenantId && e.LogSeq <= start.Control && e.ChainSeq != null)
            .MaxAsync(e => e.ChainSeq, ct) ?? 0;
        var next = 0;
        var carried = sink.AnchorCursor;
        var delivered = 0L;
        IReadOnlyList<Piramid.Contracts.Auditing.AuditAnchor> AnchorsOf(SinkObject o)
        {
            chain = Math.Max(chain, o.Entries.Where(e => e.Source == AuditSources.Control && e.Hash is not null).Select(e => e.Seq).DefaultIfEmpty(0).Max());
            var carry = new List<Piramid.Contracts.Auditing.AuditAnchor>();
            for (; next < pending.Count && pending[next].EngineSeq <= o.End.Data && (pending[next].ControlSeq ?? 0) <= chain; next++)
            {
                var a = pending[next];
                carry.Add(new(a.TenantId, a.EngineSeq, a.EngineHash, a.SignedAt, a.Signature, a.ControlSeq, a.ControlHash));
                carried = a.Id;
            }

            return carry;
        }

        // The cursor moves after each object the store took: a retry after a partial failure starts after it, so no
        // object is written twice with a different split.
        async Task Written(SinkObject o)
        {
            delivered += o.Entries.Count;
            sink.AnchorCursor = carried;
            await RecordAsync(sink, o.End, Math.Max(0, backlog - delivered), now, delivered: true, ct);
        }

        var target = new S3Target(new Uri(sink.Endpoint!), sink.Bucket!, sink.Region!, sink.Prefix, sink.AccessKeyId!,
            secrets.Unprotect(sink.TenantId, sink.SecretSealed!));
        await s3.WriteAsync(target, sink.TenantId, S3SinkWriter.Split(start, batch, positions), AnchorsOf, Written, ct);
    }

    // Due when the tenant's newest anchor is older than AnchorInterval (or there is none).
    private async Task<bool> AnchorDueAsync(string tenantId, DateTimeOffset now, CancellationToken ct)
    {
        var newest = await db.AuditAnchors.AsNoTracking().Where(a => a.TenantId == tenantId).MaxAsync(a => (DateTimeOffset?)a.SignedAt, ct);
        return newest is null || newest <= now - exportOptions.Value.AnchorInterval;
    }

    // Entries stored and not delivered: the control plane's by count, the engine's from its head (while it runs).
    private async Task<long> BacklogAsync(AuditSinkRecord sink, bool withData, CancellationToken ct)
    {
        var control = await db.AuditEvents.LongCountAsync(e => e.TenantId == sink.TenantId && e.LogSeq > sink.ControlCursor, ct);
        if (!withData)
        {
            return control;
        }

        var head = (await engines.ReadAsync(sink.TenantId, sink.DataCursor, 1, ct)).Head.Seq;
        return control + Math.Max(0, head - sink.DataCursor);
    }

    // The cursor moves only if the configuration is still the one delivered to (a PUT in between bumps the version)
    // and the stored cursor is still the one this step started from: a run that started from an older snapshot (its
    // sink read before an earlier run recorded) must never move it back.
    private async Task RecordAsync(AuditSinkRecord sink, SinkPosition position, long backlog, DateTimeOffset now, bool delivered, CancellationToken ct)
    {
        telemetry.RecordBacklog(sink.TenantId, sink.Kind, backlog);
        var lastDelivered = delivered ? now : sink.LastDeliveredAt;
        var moved = await db.AuditSinks.Where(s => s.TenantId == sink.TenantId && s.Version == sink.Version
                && s.ControlCursor == sink.ControlCursor && s.DataCursor == sink.DataCursor).ExecuteUpdateAsync(u => u
            .SetProperty(s => s.ControlCursor, position.Control)
            .SetProperty(s => s.DataCursor, position.Data)
            .SetProperty(s => s.AnchorCursor, sink.AnchorCursor)
            .SetProperty(s => s.LastDeliveredAt, lastDelivered)
            .SetProperty(s => s.LastAttemptAt, now)
            .SetProperty(s => s.Backlog, backlog)
            .SetProperty(s => s.LastError, (string?)null)
            .SetProperty(s => s.LastErrorAt, (DateTimeOffset?)null), ct);
        if (moved == 0)
        {
            // Another run moved the cursor past this step's start: the next step goes on from the stored cursor.
            var stored = await db.AuditSinks.AsNoTracking().Where(s => s.TenantId == sink.TenantId && s.Version == sink.Version)
                .Select(s => new { s.ControlCursor, s.DataCursor }).FirstOrDefaultAsync(ct);
            position = stored is null ? position : new SinkPosition(stored.ControlCursor, stored.DataCursor);
        }

        sink.ControlCursor = position.Control;
        sink.DataCursor = position.Data;
        sink.LastDeliveredAt = lastDelivered;
        sink.LastError = null;
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
