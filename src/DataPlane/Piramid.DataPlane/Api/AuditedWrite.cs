namespace Piramid.DataPlane.Api;

/// <summary>
/// What a write handler tells <see cref="AuditMiddleware"/> about the write it made: its LSN and how many points it
/// wrote or deleted, for the audit entry (format 2, docs/design/audit-log.md). Handlers that wrote nothing set none.
/// </summary>
/// <param name="Lsn">The write's LSN.</param>
/// <param name="Points">Points written or deleted.</param>
public sealed record AuditedWrite(long Lsn, long Points)
{
    private static readonly object Key = new();

    /// <summary>Records the write on the request for the audit entry.</summary>
    public static void Record(HttpContext context, long lsn, long points)
    {
        ArgumentNullException.ThrowIfNull(context);
        context.Items[Key] = new AuditedWrite(lsn, points);
    }

    /// <summary>The write the handler recorded, or null.</summary>
    public static AuditedWrite? Of(HttpContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        return context.Items.TryGetValue(Key, out var value) ? value as AuditedWrite : null;
    }
}
