using Microsoft.EntityFrameworkCore;

namespace Piramid.ControlPlane.Auditing;

public sealed partial class RetentionSweep
{
    /// <summary>
    /// Deletes audit events past their retention: a tenant's from its plan's <c>audit_retention_days</c>, and
    /// those of no tenant (operators' and platform events, or a tenant already purged) from
    /// <see cref="RetentionOptions.AuditRetention"/>. Two statements, each idempotent. A tenant with an audit sink
    /// keeps the events its sink has not received yet (docs/design/audit-sinks.md): the cursor gates the delete, in the
    /// same statement, so an event is never removed before it was delivered.
    /// </summary>
    private async Task<int> DeleteExpiredAuditEventsAsync(DateTimeOffset now, RetentionOptions settings, CancellationToken cancellationToken)
    {
        var ofTenants = await db.Database.ExecuteSqlInterpolatedAsync(
            $"""
            DELETE FROM audit_events a
            USING tenants t JOIN plans p ON p.id = t.plan_id
            WHERE a.tenant_id = t.id AND a."time" < {now} - p.audit_retention_days * interval '1 day'
              AND NOT EXISTS (SELECT 1 FROM audit_sinks s WHERE s.tenant_id = a.tenant_id AND s.control_cursor < a.id)
            """,
            cancellationToken);
        var ofNoTenant = await db.Database.ExecuteSqlInterpolatedAsync(
            $"""
            DELETE FROM audit_events a
            WHERE a."time" < {now - settings.AuditRetention}
              AND NOT EXISTS (SELECT 1 FROM tenants t WHERE t.id = a.tenant_id)
            """,
            cancellationToken);
        return ofTenants + ofNoTenant;
    }
}
