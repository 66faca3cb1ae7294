using System.Globalization;
using Piramid.Contracts.Auditing;
using Piramid.DataPlane.Api;
using Piramid.DataPlane.Exports;
using Piramid.Engine;
using Piramid.Engine.Audit;

namespace Piramid.DataPlane.Auditing;

/// <summary>
/// The engine's audit log, readable by the control plane only (<c>GET /internal/v1/audit?after=&amp;limit=</c>): entries
/// with their chain links, paged by sequence, and the head the control plane anchors (docs/design/audit-log.md).
/// </summary>
public static class AuditApi
{
    private const int DefaultLimit = 500;

    /// <summary>Maps the route.</summary>
    public static IEndpointRouteBuilder MapAuditApi(this IEndpointRouteBuilder app)
    {
        app.MapGet(InternalAuditRoutes.Entries, Entries).AddEndpointFilter(ApiSupport.HandleErrors).WithName("internal.audit");
        return app;
    }

    private static JsonBody<EngineAuditPage> Entries(HttpContext context, VectorEngine engine)
    {
        InternalAccess.Authorize(context);
        var after = ReadNumber(context, "after", 0, long.MaxValue - 1, 0);
        var limit = (int)ReadNumber(context, "limit", 1, InternalAuditRoutes.MaxLimit, DefaultLimit);

        // The head is read first: entries appended meanwhile only make the page longer than the head, never shorter.
        var (headSequence, headHash) = engine.Audit.Head;
        var entries = engine.Audit.ReadAfter(after, limit);
        var last = entries.Count > 0 ? entries[^1].Entry.Sequence : after;
        var next = entries.Count == limit ? last : (long?)null;
        return JsonBody.Ok(new EngineAuditPage(
            [.. entries.Select(ToWire)], new AuditHead(headSequence, Convert.ToHexStringLower(headHash)), next));
    }

    private static long ReadNumber(HttpContext context, string name, long min, long max, long fallback)
    {
        var text = context.Request.Query[name].ToString();
        if (text.Length == 0)
        {
            return fallback;
        }

        if (!long.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out var value) || value < min || value > max)
        {
            throw EngineException.Invalid($"'{name}' must be an integer from {min} to {max}.");
        }

        return value;
    }

    private static EngineAuditEntry ToWire(AuditChainEntry e) => new(
        e.Entry.Sequence, e.Entry.Time, e.Entry.Principal, e.Entry.Operation, e.Entry.Collection, e.Entry.Outcome, e.Entry.RequestId,
        Convert.ToHexStringLower(e.PreviousHash), Convert.ToHexStringLower(e.Hash), e.Entry.Lsn, e.Entry.Points, e.Format);
}
