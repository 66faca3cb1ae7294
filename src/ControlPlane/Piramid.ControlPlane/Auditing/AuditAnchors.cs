using Microsoft.EntityFrameworkCore;
using Piramid.Contracts.Auditing;
using Piramid.ControlPlane.Data;
using Piramid.ControlPlane.Data.Entities;

namespace Piramid.ControlPlane.Auditing;

/// <summary>
/// Anchors an engine's audit log (docs/design/audit-log.md, "Anchors"): reads its head, checks that the entry the last
/// anchor named is still there with the same hash, and stores a newly signed anchor when the head moved. A log that
/// lost or rewrote anchored entries (a data directory rolled back) is recorded as <c>audit.anchor_mismatch</c> in the
/// control plane's trail; the export keeps carrying the old anchor, so the export's verification fails too.
/// </summary>
public sealed partial class AuditAnchors(
    ControlPlaneDbContext db, EngineAuditClient engines, AuditAnchorSigner signer, AuditTrail trail, TimeProvider time, ILogger<AuditAnchors> logger)
{
    /// <summary>The action recorded when an engine's log no longer holds what was anchored.</summary>
    public const string MismatchAction = "audit.anchor_mismatch";

    /// <summary>Anchors the tenant's engine now; returns the newest anchor (new or unchanged).</summary>
    public async Task<AuditAnchor> AnchorAsync(string tenantId, CancellationToken ct)
    {
        var previous = await db.AuditAnchors.AsNoTracking().Where(a => a.TenantId == tenantId).OrderByDescending(a => a.Id).FirstOrDefaultAsync(ct);
        var page = await engines.ReadAsync(tenantId, Math.Max((previous?.EngineSeq ?? 0) - 1, 0), 1, ct);
        var control = await db.AuditChainHeads.AsNoTracking().Where(h => h.Chain == tenantId).Select(h => new { h.Seq, h.Hash }).FirstOrDefaultAsync(ct);
        var controlHead = control is null ? ((long, string)?)null : (control.Seq, control.Hash);
        if (previous is not null && (Mismatch(previous, page) ?? ControlMismatch(previous, controlHead)) is { } problem)
        {
            AnchorMismatch(logger, tenantId, problem);
            trail.Record(MismatchAction, "audit_log", tenantId, tenantId,
                new AnchorState(previous.EngineSeq, previous.EngineHash, null), new AnchorState(page.Head.Seq, page.Head.Hash, problem));
        }
        else if (previous is not null && previous.EngineSeq == page.Head.Seq && previous.EngineHash == page.Head.Hash
            && previous.ControlSeq == control?.Seq && previous.ControlHash == control?.Hash)
        {
            return ToAnchor(previous);
        }

        // Whole milliseconds: the stored time (microseconds in PostgreSQL) and the signed one stay equal.
        var now = time.GetUtcNow();
        var signedAt = new DateTimeOffset(now.UtcTicks - (now.UtcTicks % TimeSpan.TicksPerMillisecond), TimeSpan.Zero);
        var anchor = signer.Sign(tenantId, page.Head.Seq, page.Head.Hash, signedAt, controlHead);
        db.AuditAnchors.Add(new AuditAnchorRecord
        {
            TenantId = tenantId,
            EngineSeq = anchor.EngineSeq,
            EngineHash = anchor.EngineHash,
            ControlSeq = anchor.ControlSeq,
            ControlHash = anchor.ControlHash,
            SignedAt = anchor.SignedAt,
            Signature = anchor.Signature,
        });
        await db.SaveChangesAsync(ct);
        return anchor;
    }

    /// <summary>The tenant's anchors signed in [<paramref name="from"/>, <paramref name="to"/>), oldest first.</summary>
    public async Task<List<AuditAnchor>> ListAsync(string tenantId, DateTimeOffset? from, DateTimeOffset? to, CancellationToken ct)
    {
        var query = db.AuditAnchors.AsNoTracking().Where(a => a.TenantId == tenantId);
        if (from is { } f)
        {
            query = query.Where(a => a.SignedAt >= f);
        }

        if (to is { } t)
        {
            query = query.Where(a => a.SignedAt < t);
        }

        return [.. (await query.OrderBy(a => a.Id).ToListAsync(ct)).Select(ToAnchor)];
    }

    private static string? Mismatch(AuditAnchorRecord previous, EngineAuditPage page)
    {
        if (page.Head.Seq < previous.EngineSeq)
        {
            return $"the engine's audit log ends at entry {page.Head.Seq}, but entry {previous.EngineSeq} was anchored at {previous.SignedAt:O}: its newest entries were lost";
        }

        if (previous.EngineSeq > 0 && (page.Entries.Count == 0 || page.Entries[0].Seq != previous.EngineSeq || page.Entries[0].Hash != previous.EngineHash))
        {
            return $"entry {previous.EngineSeq} of the engine's audit log does not have the hash anchored at {previous.SignedAt:O}: the log was rewritten";
        }

        return null;
    }

    // The control plane's chain only grows (its head row outlives retention): a head behind the anchored one was rolled back.
    private static string? ControlMismatch(AuditAnchorRecord previous, (long Seq, string Hash)? head) =>
        previous.ControlSeq is { } anchored && (head?.Seq ?? 0) < anchored
            ? $"the control plane's audit chain ends at event {head?.Seq ?? 0}, but event {anchored} was anchored at {previous.SignedAt:O}: its newest events were lost"
            : null;

    private static AuditAnchor ToAnchor(AuditAnchorRecord r) =>
        new(r.TenantId, r.EngineSeq, r.EngineHash, r.SignedAt, r.Signature, r.ControlSeq, r.ControlHash);

    [LoggerMessage(EventId = 4201, Level = LogLevel.Error, Message = "Audit anchor check failed for tenant {TenantId}: {Problem}")]
    private static partial void AnchorMismatch(ILogger logger, string tenantId, string problem);

    private sealed record AnchorState(long EngineSeq, string EngineHash, string? Problem);
}
