using Microsoft.EntityFrameworkCore;
using Npgsql;

namespace Piramid.ControlPlane.Auditing;

public sealed partial class RetentionSweep
{
    /// <summary>Action of the gateway-reported refusals that a flood could multiply.</summary>
    public const string AuthFailed = "auth.failed";

    /// <summary>Action of the row that counts the refusals folded away in one tenant's period.</summary>
    public const string AuthFailedAggregated = "auth.failed.aggregated";

    // One transaction, so a crash leaves either the rows or their count, never neither. Periods are aligned on
    // the Unix epoch (so on UTC hours and days); the first rows of each tenant's period stay as they are, the
    // rest are deleted and added to the period's aggregated row (created at the period's start when absent).
    // A row the tenant's sink has not received yet (past its control cursor) is not folded until SinkGrace after
    // its time: the sink gets every refusal row, and a count added to an aggregated row it already has would be lost.
    private const string AggregateSql = """
        WITH ranked AS (
            SELECT id, tenant_id,
                   to_timestamp(floor(extract(epoch FROM "time") / @period) * @period) AS bucket,
                   row_number() OVER (PARTITION BY tenant_id, floor(extract(epoch FROM "time") / @period) ORDER BY id) AS n,
                   EXISTS (SELECT 1 FROM audit_sinks s WHERE s.tenant_id = e.tenant_id AND s.control_cursor < e.log_seq)
                       AND e."time" >= @now - @grace AS undelivered
            FROM audit_events e
            WHERE action = @failed AND "time" >= @since AND coalesce(tenant_id, '') = ANY(@chains)
        ), removed AS (
            DELETE FROM audit_events a USING ranked r
            WHERE a.id = r.id AND r.n > @cap AND NOT r.undelivered
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

    // The fold's inserts lock each tenant's chain head (the log position trigger) in whatever order the rows come, while
    // AuditChain.LinkAsync locks the heads of a multi-tenant report in name order: the two could deadlock. So the heads
    // of the tenants to fold are locked first, in the same order ("C" is ordinal), and only those tenants are folded.
    private const string LockHeadsSql = """
        SELECT chain FROM audit_chain_heads
        WHERE chain IN (
            SELECT coalesce(tenant_id, '') FROM audit_events
            WHERE action = @failed AND "time" >= @since
            GROUP BY coalesce(tenant_id, ''), floor(extract(epoch FROM "time") / @period)
            HAVING count(*) > @cap)
        ORDER BY chain COLLATE "C"
        FOR UPDATE
        """;

    private async Task<int> AggregateAuthFailuresAsync(DateTimeOffset now, DateTimeOffset since, RetentionOptions settings, CancellationToken cancellationToken)
    {
        var connection = (NpgsqlConnection)db.Database.GetDbConnection();
        await db.Database.OpenConnectionAsync(cancellationToken);
        try
        {
            await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
            var chains = new List<string>();
            await using (var lockHeads = new NpgsqlCommand(LockHeadsSql, connection, transaction))
            {
                lockHeads.Parameters.AddWithValue("period", settings.AuthFailurePeriod.TotalSeconds);
                lockHeads.Parameters.AddWithValue("since", since);
                lockHeads.Parameters.AddWithValue("cap", (long)settings.AuthFailuresPerPeriod);
                lockHeads.Parameters.AddWithValue("failed", AuthFailed);
                await using var reader = await lockHeads.ExecuteReaderAsync(cancellationToken);
                while (await reader.ReadAsync(cancellationToken))
                {
                    chains.Add(reader.GetString(0));
                }
            }

            await using var command = new NpgsqlCommand(AggregateSql, connection, transaction);
            command.Parameters.AddWithValue("period", settings.AuthFailurePeriod.TotalSeconds);
            command.Parameters.AddWithValue("since", since);
            command.Parameters.AddWithValue("now", now);
            command.Parameters.AddWithValue("grace", settings.SinkGrace);
            command.Parameters.AddWithValue("cap", (long)settings.AuthFailuresPerPeriod);
            command.Parameters.AddWithValue("failed", AuthFailed);
            command.Parameters.AddWithValue("aggregated", AuthFailedAggregated);
            command.Parameters.AddWithValue("chains", chains.ToArray());
            var folded = (int)(await command.ExecuteScalarAsync(cancellationToken))!;
            await transaction.CommitAsync(cancellationToken);
            return folded;
        }
        finally
        {
            await db.Database.CloseConnectionAsync();
        }
    }
}
