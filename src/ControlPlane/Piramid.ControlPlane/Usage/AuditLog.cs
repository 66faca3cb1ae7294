using System.Runtime.CompilerServices;
using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using Piramid.Contracts.Admin;
using Piramid.Contracts.Auditing;
using Piramid.Contracts.Problems;
using Piramid.ControlPlane.Auditing;
using Piramid.ControlPlane.Data;
using Piramid.ControlPlane.Data.Entities;
using Piramid.ServiceDefaults;

namespace Piramid.ControlPlane.Usage;

/// <summary>
/// Reads a tenant's audit events for the admin API: the control plane's events and its engine's hash-chained entries,
/// merged in time order (each source keeps its own order), as paged JSON or a streamed export.
/// </summary>
public sealed class AuditLog(ControlPlaneDbContext db, EngineAuditClient engines)
{
    /// <summary>Default and largest page.</summary>
    public const int MaxPage = 1000;

    /// <summary>One page of events matching <paramref name="filter"/>, oldest first, after the cursor (<see cref="AuditCursor"/>).</summary>
    public async Task<AuditEventList> PageAsync(string tenantId, AuditFilter filter, string? cursor, int? limit, CancellationToken ct)
    {
        var after = AuditCursor.Decode(cursor);
        var size = limit ?? MaxPage;
        if (size is < 1 or > MaxPage)
        {
            throw new ProblemException(ProblemCatalog.InvalidRequest, $"'limit' must be between 1 and {MaxPage}.");
        }

        await CheckAsync(tenantId, filter, ct);
        var (page, next) = await ReadAsync(tenantId, filter, after, size, ct);
        return new AuditEventList { Events = page, NextCursor = next is { } n ? AuditCursor.Encode(n.Control, n.Data) : null };
    }

    /// <summary>Every event matching <paramref name="filter"/>, streamed page by page (never the whole range in memory).</summary>
    public async IAsyncEnumerable<AuditEventInfo> ExportAsync(string tenantId, AuditFilter filter, [EnumeratorCancellation] CancellationToken ct)
    {
        await CheckAsync(tenantId, filter, ct);
        (long Control, long Data)? position = (0, 0);
        while (position is { } after)
        {
            var (page, next) = await ReadAsync(tenantId, filter, after, MaxPage, ct);
            foreach (var e in page)
            {
                yield return e;
            }

            position = next;
        }
    }

    /// <summary>A 400 for a bad filter, a 404 for a tenant that does not exist.</summary>
    public async Task CheckAsync(string tenantId, AuditFilter filter, CancellationToken ct)
    {
        filter.Validate();
        if (!await db.Tenants.AnyAsync(t => t.Id == tenantId, ct))
        {
            throw new ProblemException(ProblemCatalog.NotFound, $"Tenant '{tenantId}' does not exist.");
        }
    }

    /// <summary>
    /// The next <paramref name="size"/> events after the positions (per source), merged by time, for the audit sinks
    /// (Auditing/Sinks), and the positions after them; the tenant is not checked. Engine entries are read only up to
    /// <paramref name="dataBefore"/> (they settle); control events need no wait, their positions commit in order.
    /// </summary>
    public async Task<(List<AuditEventInfo> Page, List<long> Positions, long Control, long Data)> ReadAfterAsync(
        string tenantId, AuditFilter filter, (long Control, long Data) after, DateTimeOffset dataBefore, int size, CancellationToken ct)
    {
        var (page, positions, last) = await ReadPositionedAsync(tenantId, filter, after, size, dataBefore, ct);
        return (page, positions, last.Control, last.Data);
    }

    // The next `size` events of both sources after the positions, merged by time; and where the page after it starts.
    private async Task<(List<AuditEventInfo> Page, (long Control, long Data)? Next)> ReadAsync(
        string tenantId, AuditFilter filter, (long Control, long Data) after, int size, CancellationToken ct)
    {
        var (page, _, last) = await ReadPositionedAsync(tenantId, filter, after, size, dataBefore: null, ct);
        return (page, last.More ? (last.Control, last.Data) : null);
    }

    // Control events are taken in log position order (AuditEvent.LogSeq: commit order, so nothing below a position
    // returned can appear later), engine entries in sequence order; the two are merged by time.
    private async Task<(List<AuditEventInfo> Page, List<long> Positions, (long Control, long Data, bool More) Last)> ReadPositionedAsync(
        string tenantId, AuditFilter filter, (long Control, long Data) after, int size, DateTimeOffset? dataBefore, CancellationToken ct)
    {
        var control = filter.WantsControl ? await ControlAsync(tenantId, filter, after.Control, size + 1, ct) : [];
        var data = filter.WantsData ? await DataAsync(tenantId, filter, after.Data, size + 1, dataBefore, ct) : [];
        var merged = new List<(AuditEventInfo Info, long Position)>(Math.Min(size + 1, control.Count + data.Count));
        int i = 0, j = 0;
        while (merged.Count <= size && (i < control.Count || j < data.Count))
        {
            // Each list holds the next size + 1 events of its source, so the first size + 1 merged are the right ones.
            merged.Add(j == data.Count || (i < control.Count && control[i].Info.Time <= data[j].Time) ? control[i++] : (data[j], data[j++].Seq));
        }

        var more = merged.Count > size;
        if (more)
        {
            merged.RemoveAt(size);
        }

        var lastControl = merged.LastOrDefault(e => e.Info.Source == AuditSources.Control) is { Info: not null } c ? c.Position : after.Control;
        var lastData = merged.LastOrDefault(e => e.Info.Source == AuditSources.Data) is { Info: not null } d ? d.Position : after.Data;
        return ([.. merged.Select(e => e.Info)], [.. merged.Select(e => e.Position)], (lastControl, lastData, more));
    }

    private async Task<List<(AuditEventInfo Info, long Position)>> ControlAsync(string tenantId, AuditFilter filter, long after, int count, CancellationToken ct)
    {
        var query = db.AuditEvents.AsNoTracking().Where(e => e.TenantId == tenantId && e.LogSeq > after);
        if (filter.From is { } f)
        {
            query = query.Where(e => e.Time >= f);
        }

        if (filter.To is { } t)
        {
            query = query.Where(e => e.Time < t);
        }

        if (filter.Actor is { } actor)
        {
            query = query.Where(e => e.Actor == actor);
        }

        if (filter.Action is { } action)
        {
            query = query.Where(e => e.Action == action);
        }

        return [.. (await query.OrderBy(e => e.LogSeq).Take(count).ToListAsync(ct)).Select(e => (ToInfo(e), e.LogSeq))];
    }

    // Engine entries are filtered here (the engine pages by sequence only); entries are appended in time order, so the
    // first one at or after 'to' ends the range.
    private async Task<List<AuditEventInfo>> DataAsync(string tenantId, AuditFilter filter, long after, int count, DateTimeOffset? before, CancellationToken ct)
    {
        var end = filter.To is { } t && (before is null || t < before) ? t : before;
        var result = new List<AuditEventInfo>();
        for (long? position = after; position is { } p && result.Count < count;)
        {
            var page = await engines.ReadAsync(tenantId, p, InternalAuditRoutes.MaxLimit, ct);
            foreach (var entry in page.Entries)
            {
                if (end is { } to && entry.Time >= to)
                {
                    return result;
                }

                var info = ToInfo(tenantId, entry);
                if (filter.Matches(info))
                {
                    result.Add(info);
                    if (result.Count == count)
                    {
                        break;
                    }
                }
            }

            position = page.NextAfter;
        }

        return result;
    }

    private static AuditEventInfo ToInfo(AuditEvent e) => new()
    {
        Id = e.Id,
        Source = AuditSources.Control,
        Seq = e.ChainSeq ?? e.Id,
        PrevHash = e.PrevHash,
        Hash = e.Hash,
        Format = e.Hash is null ? null : 1,
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

    private static AuditEventInfo ToInfo(string tenantId, EngineAuditEntry e) => new()
    {
        Id = e.Seq,
        Source = AuditSources.Data,
        Seq = e.Seq,
        Time = e.Time,
        Actor = e.Principal,
        Action = e.Operation,
        TargetType = "collection",
        TargetId = e.Collection ?? string.Empty,
        TenantId = tenantId,
        RequestId = e.RequestId,
        Outcome = e.Outcome,
        PrevHash = e.PrevHash,
        Hash = e.Hash,
        Lsn = e.Lsn,
        Points = e.Points,
        Format = e.Format,
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
