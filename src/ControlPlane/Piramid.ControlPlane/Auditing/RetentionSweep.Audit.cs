using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Storage;
using Npgsql;
using Piramid.ControlPlane.Data.Entities;

namespace Piramid.ControlPlane.Auditing;

public sealed partial class RetentionSweep
{
    /// <summary>The action that tells a sink's receiver which control positions were deleted before it got them.</summary>
    public const string SinkGapAction = "audit_sink.gap";

    // Deletes a tenant's expired events (gated on its sink's cursor until the grace ends) and reports, per tenant, the
    // undelivered ones it deleted: count and first and last control log position.
    private const string ExpireTenantsSql = """
        WITH expired AS (
            DELETE FROM audit_events a
            USING tenants t JOIN plans p ON p.id = t.plan_id
            WHERE a.tenant_id = t.id AND a."time" < @now - p.audit_retention_days * interval '1 day'
              AND (NOT EXISTS (SELECT 1 FROM audit_sinks s WHERE s.tenant_id = a.tenant_id AND s.control_cursor < a.log_seq)
                   OR a."time" < @now - p.audit_retention_days * interval '1 day' - @grace)
            RETURNING a.tenant_id, a.log_seq
        ), gaps AS (
            SELECT e.tenant_id, count(*) AS n, min(e.log_seq) AS first, max(e.log_seq) AS last
            FROM expired e JOIN audit_sinks s ON s.tenant_id = e.tenant_id AND s.control_cursor < e.log_seq
            GROUP BY e.tenant_id
        )
        SELECT (SELECT count(*) FROM expired)::int,
               coalesce((SELECT jsonb_agg(jsonb_build_object('tenant', tenant_id, 'count', n, 'first', first, 'last', last)
                                          ORDER BY tenant_id) FROM gaps), '[]'::jsonb)::text
        """;

    /// <summary>
    /// Deletes audit events past their retention: a tenant's from its plan's <c>audit_retention_days</c>, and
    /// those of no tenant (operators' and platform events, or a tenant already purged) from
    /// <see cref="RetentionOptions.AuditRetention"/>. A tenant with an audit sink keeps the events its sink has not
    /// received yet (docs/design/audit-sinks.md), gated on the cursor in the same statement, but at most
    /// <see cref="RetentionOptions.SinkGrace"/> longer: then they go, and an <see cref="SinkGapAction"/> event (in the
    /// same transaction, chained, delivered to the sink next) names how many and which positions.
    /// </summary>
    private async Task<int> DeleteExpiredAuditEventsAsync(DateTimeOffset now, RetentionOptions settings, CancellationToken cancellationToken)
    {
        await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken);
        int ofTenants;
        string gaps;
        await using (var command = new NpgsqlCommand(ExpireTenantsSql, (NpgsqlConnection)db.Database.GetDbConnection(), (NpgsqlTransaction)transaction.GetDbTransaction()))
        {
            command.Parameters.AddWithValue("now", now);
            command.Parameters.AddWithValue("grace", settings.SinkGrace);
            await using var reader = await command.ExecuteReaderAsync(cancellationToken);
            await reader.ReadAsync(cancellationToken);
            ofTenants = reader.GetInt32(0);
            gaps = reader.GetString(1);
        }

        foreach (var gap in JsonSerializer.Deserialize<List<SinkGap>>(gaps)!)
        {
            db.AuditEvents.Add(new AuditEvent
            {
                Time = now,
                Actor = "system",
                Action = SinkGapAction,
                TargetType = "audit_sink",
                TargetId = gap.Tenant,
                TenantId = gap.Tenant,
                After = JsonSerializer.Serialize(new { deleted_undelivered = gap.Count, first_position = gap.First, last_position = gap.Last }),
            });
            await db.AuditSinks.Where(s => s.TenantId == gap.Tenant).ExecuteUpdateAsync(u => u
                .SetProperty(s => s.GapEvents, s => s.GapEvents + gap.Count)
                .SetProperty(s => s.LastGapAt, now), cancellationToken);
        }

        await db.SaveChangesAsync(cancellationToken);
        var ofNoTenant = await db.Database.ExecuteSqlInterpolatedAsync(
            $"""
            DELETE FROM audit_events a
            WHERE a."time" < {now - settings.AuditRetention}
              AND NOT EXISTS (SELECT 1 FROM tenants t WHERE t.id = a.tenant_id)
            """,
            cancellationToken);
        await transaction.CommitAsync(cancellationToken);
        return ofTenants + ofNoTenant;
    }

    private sealed record SinkGap(
        [property: System.Text.Json.Serialization.JsonPropertyName("tenant")] string Tenant,
        [property: System.Text.Json.Serialization.JsonPropertyName("count")] long Count,
        [property: System.Text.Json.Serialization.JsonPropertyName("first")] long First,
        [property: System.Text.Json.Serialization.JsonPropertyName("last")] long Last);
}
