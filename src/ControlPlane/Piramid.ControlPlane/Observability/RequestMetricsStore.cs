using System.Data.Common;
using Microsoft.EntityFrameworkCore;
using Npgsql;
using NpgsqlTypes;
using Piramid.Contracts.Metrics;
using Piramid.Contracts.Problems;
using Piramid.ControlPlane.Data;
using Piramid.ServiceDefaults;

namespace Piramid.ControlPlane.Observability;

/// <summary>
/// The <c>request_minutes</c> table: the gateways' request reports and the engine samples are added per tenant and
/// minute on write; a summary sums minutes into the window's steps on read, in SQL (a 7-day operator summary reads
/// one row per step and bucket, not every minute). See docs/design/observability.md ("Charts").
/// </summary>
public sealed class RequestMetricsStore(ControlPlaneDbContext db, TimeProvider time)
{
    // The report ids share the usage reports' receipts table, prefixed so the two kinds never collide.
    private const string ReceiptPrefix = "request-stats:";

    /// <summary>Adds a gateway's report once (a report sent again with the same id adds nothing).</summary>
    public async Task RecordAsync(RequestStatsReport report, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(report);
        Validate(report);
        await using var transaction = await db.Database.BeginTransactionAsync(ct);
        var first = await db.Database.ExecuteSqlInterpolatedAsync(
            $"INSERT INTO usage_report_receipts (id, received_at) VALUES ({ReceiptPrefix + report.Id}, {time.GetUtcNow()}) ON CONFLICT (id) DO NOTHING", ct);
        if (first == 1)
        {
            foreach (var m in report.Minutes)
            {
                var buckets = m.LatencyBuckets.ToArray();
                await db.Database.ExecuteSqlInterpolatedAsync(
                    $"""
                    INSERT INTO request_minutes (tenant_id, minute, requests, client_errors, server_errors, latency_buckets)
                    VALUES ({m.TenantId}, {m.Minute.ToUniversalTime()}, {m.Requests}, {m.ClientErrors}, {m.ServerErrors}, {buckets})
                    ON CONFLICT (tenant_id, minute) DO UPDATE
                    SET requests = request_minutes.requests + excluded.requests,
                        client_errors = request_minutes.client_errors + excluded.client_errors,
                        server_errors = request_minutes.server_errors + excluded.server_errors,
                        latency_buckets = CASE WHEN cardinality(request_minutes.latency_buckets) = 0 THEN excluded.latency_buckets
                            ELSE ARRAY(SELECT a + b FROM unnest(request_minutes.latency_buckets, excluded.latency_buckets) AS t(a, b)) END
                    """, ct);
            }
        }

        await transaction.CommitAsync(ct);
    }

    /// <summary>Records an engine's storage and memory (null when unknown) in the current minute.</summary>
    public async Task SampleAsync(string tenantId, long storageBytes, long? memoryBytes, CancellationToken ct)
    {
        var now = time.GetUtcNow();
        var minute = new DateTimeOffset(now.UtcTicks - (now.UtcTicks % TimeSpan.TicksPerMinute), TimeSpan.Zero);
        await db.Database.ExecuteSqlInterpolatedAsync(
            $"""
            INSERT INTO request_minutes (tenant_id, minute, requests, client_errors, server_errors, latency_buckets, storage_bytes, memory_bytes)
            VALUES ({tenantId}, {minute}, 0, 0, 0, {Array.Empty<long>()}, {storageBytes}, {memoryBytes})
            ON CONFLICT (tenant_id, minute) DO UPDATE
            SET storage_bytes = excluded.storage_bytes, memory_bytes = COALESCE(excluded.memory_bytes, request_minutes.memory_bytes)
            """, ct);
    }

    /// <summary>
    /// Records the tenant's last sampled storage in the current minute, with no memory (a hibernating engine: its data
    /// is on disk, unchanged, and it has no process); a sample taken earlier in the minute is kept.
    /// </summary>
    public async Task CarryStorageAsync(string tenantId, CancellationToken ct)
    {
        var now = time.GetUtcNow();
        var minute = new DateTimeOffset(now.UtcTicks - (now.UtcTicks % TimeSpan.TicksPerMinute), TimeSpan.Zero);
        await db.Database.ExecuteSqlInterpolatedAsync(
            $"""
            INSERT INTO request_minutes (tenant_id, minute, requests, client_errors, server_errors, latency_buckets, storage_bytes)
            SELECT {tenantId}, {minute}, 0, 0, 0, {Array.Empty<long>()}, storage_bytes FROM request_minutes
            WHERE tenant_id = {tenantId} AND storage_bytes IS NOT NULL AND minute < {minute} ORDER BY minute DESC LIMIT 1
            ON CONFLICT (tenant_id, minute) DO UPDATE SET storage_bytes = COALESCE(request_minutes.storage_bytes, excluded.storage_bytes)
            """, ct);
    }

    /// <summary>Removes minutes older than <paramref name="retention"/>; returns how many.</summary>
    public Task<int> CleanupAsync(TimeSpan retention, CancellationToken ct)
    {
        var cutoff = time.GetUtcNow() - retention;
        return db.Database.ExecuteSqlInterpolatedAsync($"DELETE FROM request_minutes WHERE minute < {cutoff}", ct);
    }

    /// <summary>The summary of one tenant, or of every tenant when <paramref name="tenantId"/> is null.</summary>
    public async Task<MetricsSummary> SummaryAsync(string? tenantId, MetricsWindow window, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(window);
        var step = (long)window.Step.TotalSeconds;
        var steps = (int)(window.Length.Ticks / window.Step.Ticks);
        var now = time.GetUtcNow();
        var lastStep = now.ToUnixTimeSeconds() / step;
        var firstStep = lastStep - steps + 1;
        var points = new MetricsPoint[steps];
        var buckets = new long[steps][];
        for (var i = 0; i < steps; i++)
        {
            points[i] = new MetricsPoint { Time = DateTimeOffset.FromUnixTimeSeconds((firstStep + i) * step) };
            buckets[i] = new long[LatencyBuckets.Count];
        }

        var from = DateTimeOffset.FromUnixTimeSeconds(firstStep * step);
        var to = DateTimeOffset.FromUnixTimeSeconds((lastStep + 1) * step);
        var connection = (NpgsqlConnection)db.Database.GetDbConnection();
        await db.Database.OpenConnectionAsync(ct);
        try
        {
            await ReadAsync(connection, CountsSql, tenantId, step, from, to, r =>
            {
                var p = points[r.GetInt64(0) - firstStep];
                p.Requests = r.GetInt64(1);
                p.ClientErrors = r.GetInt64(2);
                p.ServerErrors = r.GetInt64(3);
            }, ct);
            await ReadAsync(connection, BucketsSql, tenantId, step, from, to, r =>
            {
                var index = r.GetInt32(1) - 1; // ORDINALITY counts from 1
                if (index < LatencyBuckets.Count)
                {
                    buckets[r.GetInt64(0) - firstStep][index] = r.GetInt64(2);
                }
            }, ct);
            await ReadAsync(connection, GaugesSql, tenantId, step, from, to, r =>
            {
                var p = points[r.GetInt64(0) - firstStep];
                p.StorageBytes = r.GetInt64(1);
                p.MemoryBytes = tenantId is null && !r.IsDBNull(3) ? r.GetInt64(3) : null;
                p.Engines = tenantId is null ? r.GetInt32(2) : null;
            }, ct);
        }
        finally
        {
            await db.Database.CloseConnectionAsync();
        }

        // Rates divide by the time that has passed: the current step only so far (at least a second), not its future part.
        var elapsedInLast = Math.Max((now - points[^1].Time).TotalSeconds, 1);
        var total = new long[LatencyBuckets.Count];
        for (var i = 0; i < steps; i++)
        {
            var p = points[i];
            p.RequestRate = p.Requests / (i == steps - 1 ? elapsedInLast : step);
            p.LatencyP50Ms = LatencyQuantile.Of(buckets[i], 0.5);
            p.LatencyP99Ms = LatencyQuantile.Of(buckets[i], 0.99);
            for (var b = 0; b < total.Length; b++)
            {
                total[b] += buckets[i][b];
            }
        }

        var requests = points.Sum(p => p.Requests);
        return new MetricsSummary
        {
            TenantId = tenantId,
            Window = window.Name,
            StepSeconds = (int)step,
            From = from,
            To = to,
            Points = points,
            Totals = new MetricsPoint
            {
                Time = from,
                Requests = requests,
                RequestRate = requests / Math.Max((now - from).TotalSeconds, 1),
                ClientErrors = points.Sum(p => p.ClientErrors),
                ServerErrors = points.Sum(p => p.ServerErrors),
                LatencyP50Ms = LatencyQuantile.Of(total, 0.5),
                LatencyP99Ms = LatencyQuantile.Of(total, 0.99),
                StorageBytes = points.LastOrDefault(p => p.StorageBytes is not null)?.StorageBytes,
                Engines = tenantId is null ? points.LastOrDefault(p => p.Engines is not null)?.Engines ?? 0 : null,
                MemoryBytes = tenantId is null ? points.LastOrDefault(p => p.MemoryBytes is not null)?.MemoryBytes : null,
            },
        };
    }

    private const string Where = "minute >= @from AND minute < @to AND (@tenant::text IS NULL OR tenant_id = @tenant::text)";

    private const string CountsSql =
        "SELECT (floor(extract(epoch FROM minute) / @step))::bigint, sum(requests)::bigint, sum(client_errors)::bigint, sum(server_errors)::bigint " +
        "FROM request_minutes WHERE " + Where + " GROUP BY 1";

    private const string BucketsSql =
        "SELECT (floor(extract(epoch FROM r.minute) / @step))::bigint, b.i::int, sum(b.c)::bigint " +
        "FROM request_minutes r CROSS JOIN LATERAL unnest(r.latency_buckets) WITH ORDINALITY AS b(c, i) WHERE " + Where + " GROUP BY 1, 2";

    // Summed over tenants per minute first, then the step's largest minute: tenants that ran at different minutes of a
    // step are not added as if together. Engines are those with a memory sample (a hibernated tenant has storage only).
    private const string GaugesSql =
        "SELECT s, max(st)::bigint, max(n)::int, max(mem)::bigint FROM (" +
        "SELECT (floor(extract(epoch FROM minute) / @step))::bigint AS s, minute, sum(storage_bytes) AS st, " +
        "count(memory_bytes) AS n, sum(memory_bytes) AS mem " +
        "FROM request_minutes WHERE storage_bytes IS NOT NULL AND " + Where + " GROUP BY 1, 2) g GROUP BY s";

    private static async Task ReadAsync(
        NpgsqlConnection connection, string sql, string? tenantId, long step, DateTimeOffset from, DateTimeOffset to, Action<DbDataReader> row, CancellationToken ct)
    {
        await using var command = new NpgsqlCommand(sql, connection);
        command.Parameters.Add(new NpgsqlParameter("step", NpgsqlDbType.Bigint) { Value = step });
        command.Parameters.Add(new NpgsqlParameter("from", NpgsqlDbType.TimestampTz) { Value = from.UtcDateTime });
        command.Parameters.Add(new NpgsqlParameter("to", NpgsqlDbType.TimestampTz) { Value = to.UtcDateTime });
        command.Parameters.Add(new NpgsqlParameter("tenant", NpgsqlDbType.Text) { Value = (object?)tenantId ?? DBNull.Value });
        await using var reader = await command.ExecuteReaderAsync(ct);
        while (await reader.ReadAsync(ct))
        {
            row(reader);
        }
    }

    private static void Validate(RequestStatsReport report)
    {
        if (string.IsNullOrEmpty(report.Id) || report.Id.Length > 64)
        {
            throw new ProblemException(ProblemCatalog.InvalidRequest, "'id' must be 1-64 characters.");
        }

        if (report.Minutes.Count > RequestStatsReport.MaxMinutes)
        {
            throw new ProblemException(ProblemCatalog.InvalidRequest, $"At most {RequestStatsReport.MaxMinutes} minutes per report.");
        }

        // Counts only, not sums across fields: a request counted while the gateway drains can land its total in one
        // report and its bucket in the next, so only the sum over reports adds up.
        for (var i = 0; i < report.Minutes.Count; i++)
        {
            var m = report.Minutes[i];
            var problem =
                string.IsNullOrEmpty(m.TenantId) || m.TenantId.Length > 64 ? "'tenant_id' must be 1-64 characters"
                : m.Minute.UtcTicks % TimeSpan.TicksPerMinute != 0 ? "'minute' must be the start of a minute"
                : m.Requests < 0 || m.ClientErrors < 0 || m.ServerErrors < 0 ? "counts must not be negative"
                : m.LatencyBuckets.Count != LatencyBuckets.Count ? $"'latency_buckets' must hold {LatencyBuckets.Count} counts"
                : m.LatencyBuckets.Any(b => b < 0) ? "'latency_buckets' must not be negative"
                : null;
            if (problem is not null)
            {
                throw new ProblemException(ProblemCatalog.InvalidRequest, $"minutes[{i}]: {problem}.");
            }
        }
    }
}
