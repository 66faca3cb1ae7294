using System.Runtime.CompilerServices;
using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using Piramid.Contracts.Admin;
using Piramid.Contracts.Problems;
using Piramid.ControlPlane.Data;
using Piramid.ControlPlane.Data.Entities;
using Piramid.ControlPlane.Tenants;
using Piramid.ServiceDefaults;

namespace Piramid.ControlPlane.Usage;

/// <summary>Reads a tenant's audit events for the admin API: paged JSON or a streamed export.</summary>
public sealed class AuditLog(ControlPlaneDbContext db)
{
    /// <summary>Default and largest page.</summary>
    public const int MaxPage = 1000;

    /// <summary>One page of events in [from, to), oldest first, after the cursor (<see cref="AuditCursor"/>).</summary>
    public async Task<AuditEventList> PageAsync(string tenantId, DateTimeOffset? from, DateTimeOffset? to, string? cursor, int? limit, CancellationToken ct)
    {
        var after = AuditCursor.Decode(cursor);
        var size = limit ?? MaxPage;
        if (size is < 1 or > MaxPage)
        {
            throw new ProblemException(ProblemCatalog.InvalidRequest, $"'limit' must be between 1 and {MaxPage}.");
        }

        var events = await (await QueryAsync(tenantId, from, to, after, ct)).Take(size + 1).ToListAsync(ct);
        var more = events.Count > size;
        var page = events.Take(size).Select(ToInfo).ToList();
        return new AuditEventList { Events = page, NextCursor = more ? AuditCursor.Encode(page[^1].Id) : null };
    }

    /// <summary>Every event in range, streamed from the database without buffering.</summary>
    public async IAsyncEnumerable<AuditEventInfo> ExportAsync(string tenantId, DateTimeOffset? from, DateTimeOffset? to, [EnumeratorCancellation] CancellationToken ct)
    {
        await foreach (var e in (await QueryAsync(tenantId, from, to, null, ct)).AsAsyncEnumerable().WithCancellation(ct))
        {
            yield return ToInfo(e);
        }
    }

    private async Task<IQueryable<AuditEvent>> QueryAsync(string tenantId, DateTimeOffset? from, DateTimeOffset? to, long? after, CancellationToken ct)
    {
        if (from > to)
        {
            throw new ProblemException(ProblemCatalog.InvalidRequest, "'from' must not be after 'to'.");
        }

        if (!await db.Tenants.AnyAsync(t => t.Id == tenantId, ct))
        {
            throw new ProblemException(ProblemCatalog.NotFound, $"Tenant '{tenantId}' does not exist.");
        }

        var query = db.AuditEvents.AsNoTracking().Where(e => e.TenantId == tenantId);
        if (from is { } f)
        {
            query = query.Where(e => e.Time >= f);
        }

        if (to is { } t)
        {
            query = query.Where(e => e.Time < t);
        }

        if (after is { } a)
        {
            query = query.Where(e => e.Id > a);
        }

        return query.OrderBy(e => e.Id);
    }

    private static AuditEventInfo ToInfo(AuditEvent e) => new()
    {
        Id = e.Id,
        Time = e.Time,
        Actor = e.Actor,
        Action = e.Action,
        TargetType = e.TargetType,
        TargetId = e.TargetId,
        TenantId = e.TenantId,
        Before = Parse(e.Before),
        After = Parse(e.After),
        RequestId = e.RequestId,
    };

    private static JsonElement? Parse(string? json)
    {
        if (json is null)
        {
            return null;
        }

        using var document = JsonDocument.Parse(json);
        return document.RootElement.Clone();
    }
}
