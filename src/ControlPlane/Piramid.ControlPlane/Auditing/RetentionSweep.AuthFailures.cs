using Microsoft.EntityFrameworkCore;
using Npgsql;

namespace Piramid.ControlPlane.Auditing;

public sealed partial class RetentionSweep
{
    /// <summary>Action of the gateway-reported refusals that a flood could multiply.</summary>
    public const string AuthFailed = "auth.failed";

    /// <summary>Action of the row that counts the refusals folded away in one tenant's period.</summary>
    public const string AuthFailedAggregated = "auth.failed.aggregated";

    // One statement, so a crash leaves either the rows or their count, never neither. Periods are aligned on
    // the Unix epoch (so on UTC hours and days); the first rows of each tenant's period stay as they are, the
    // rest are deleted and added to the period's aggregated row (created at the period's start when absent).
    private const string AggregateSql = """
        WITH ranked AS (
            SELECT id, tenant_id,
                   to_timestamp(floor(extract(epoch FROM "time") / @period) * @period) AS bucket,
                   row_number() OVER (PARTITION BY tenant_id, floor(extract(epoch FROM "time") / @period) ORDER BY id) AS n
            FROM audit_events
            WHERE action = @failed AND "time" >= @since
        ), removed AS (
            DELETE FROM audit_events a USING ranked r
            WHERE a.id = r.id AND r.n > @cap
            RETURNING r.tenant_id, r.bucket
        ), counted AS (
            SELECT tenant_id, bucket, count(*) AS n FROM removed GROUP BY tenant_id, bucket
        ), updated AS (
            UPDATE audit_events a
            SET after = jsonb_set(a.after, '{count}', to_jsonb((a.after->>'count')::bigint + c.n))
            FROM counted c
            WHERE a.action = @aggregated AND a.tenant_id IS NOT DISTINCT FROM c.tenant_id AND a."time" = c.bucket
            RETURNING a.tenant_id, a."time"
        ), inserted AS (
            INSERT INTO audit_events ("time", actor, action, target_type, target_id, tenant_id, after)
            SELECT c.bucket, 'system', @aggregated, 'request', '-', c.tenant_id, jsonb_build_object('count', c.n)
            FROM counted c
            WHERE NOT EXISTS (SELECT 1 FROM updated u WHERE u.tenant_id IS NOT DISTINCT FROM c.tenant_id AND u."time" = c.bucket)
            RETURNING 1
        )
        SELECT coalesce(sum(n), 0)::int FROM counted
        """;

    private async Task<int> AggregateAuthFailuresAsync(DateTimeOffset since, RetentionOptions settings, CancellationToken cancellationToken)
    {
        var connection = (NpgsqlConnection)db.Database.GetDbConnection();
        await db.Database.OpenConnectionAsync(cancellationToken);
        try
        {
            await using var command = new NpgsqlCommand(AggregateSql, connection);
            command.Parameters.AddWithValue("period", settings.AuthFailurePeriod.TotalSeconds);
            command.Parameters.AddWithValue("since", since);
            command.Parameters.AddWithValue("cap", (long)settings.AuthFailuresPerPeriod);
            command.Parameters.AddWithValue("failed", AuthFailed);
            command.Parameters.AddWithValue("aggregated", AuthFailedAggregated);
            return (int)(await command.ExecuteScalarAsync(cancellationToken))!;
        }
        finally
        {
            await db.Database.CloseConnectionAsync();
        }
    }
}
