using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using Piramid.ControlPlane.Data;
using Piramid.ControlPlane.Orchestration;

namespace Piramid.ControlPlane.Billing;

/// <summary>
/// Samples every running engine's bytes on disk each <see cref="BillingOptions.StorageSampleInterval"/> and adds the
/// time since the tenant's previous sample, at the mean of both sizes, to its days' <c>storage_byte_seconds</c> (split
/// at midnight UTC). The previous sample is stored, so a restart continues where it stopped; a gap longer than
/// <see cref="BillingOptions.MaxSampleGap"/> is counted only up to it. A hibernating engine's data stays on disk,
/// unchanged: it is counted at its last sample. A stopped engine (a suspended tenant) is not sampled.
/// </summary>
public sealed partial class StorageSampler(
    IServiceScopeFactory scopes, IEngineOrchestrator orchestrator, EngineStorageClient engines, IOptions<BillingOptions> options, TimeProvider time, ILogger<StorageSampler> logger)
    : BackgroundService
{
    private readonly SemaphoreSlim _sampling = new(1, 1);

    /// <summary>Samples every running engine now (the timer calls it; tests too).</summary>
    public async Task SampleAllAsync(CancellationToken ct)
    {
        await _sampling.WaitAsync(ct);
        try
        {
            foreach (var route in orchestrator.GetRoutes())
            {
                long bytes;
                try
                {
                    bytes = await engines.BytesOnDiskAsync(route, ct);
                }
                catch (Exception e) when (e is HttpRequestException or TaskCanceledException)
                {
                    LogSampleFailed(logger, route.TenantId, e.Message);
                    continue;
                }

                await RecordAsync(route.TenantId, bytes, ct);
            }

            foreach (var route in orchestrator.GetHibernatingRoutes())
            {
                await RecordAsync(route.TenantId, sampled: null, ct);
            }
        }
        finally
        {
            _sampling.Release();
        }
    }

    /// <inheritdoc />
    public override void Dispose()
    {
        _sampling.Dispose();
        base.Dispose();
    }

    /// <inheritdoc />
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        using var timer = new PeriodicTimer(options.Value.StorageSampleInterval, time);
        try
        {
            do
            {
                try
                {
                    await SampleAllAsync(stoppingToken);
                }
                catch (Exception e) when (!stoppingToken.IsCancellationRequested)
                {
                    LogSampleFailed(logger, "*", e.Message);
                }
            }
            while (await timer.WaitForNextTickAsync(stoppingToken));
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
            // Shutdown: the next start continues from the stored samples.
        }
    }

    // Null bytes: unchanged since the previous sample (a hibernating engine); nothing to count without one.
    private async Task RecordAsync(string tenantId, long? sampled, CancellationToken ct)
    {
        await using var scope = scopes.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<ControlPlaneDbContext>();
        var now = time.GetUtcNow();
        await using var transaction = await db.Database.BeginTransactionAsync(ct);
        var previous = await db.StorageSamples
            .FromSqlInterpolated($"SELECT * FROM storage_samples WHERE tenant_id = {tenantId} FOR UPDATE")
            .AsNoTracking().SingleOrDefaultAsync(ct);
        if ((sampled ?? previous?.Bytes) is not long bytes)
        {
            return;
        }

        if (previous is not null && now > previous.SampledAt)
        {
            var from = now - previous.SampledAt > options.Value.MaxSampleGap ? now - options.Value.MaxSampleGap : previous.SampledAt;
            var meanBytes = (previous.Bytes + bytes) / 2.0;
            foreach (var (day, seconds) in SplitByDay(from, now))
            {
                var byteSeconds = (long)Math.Round(meanBytes * seconds);
                await db.Database.ExecuteSqlInterpolatedAsync(
                    $"""
                    INSERT INTO usage_records (tenant_id, day, read_units, write_units, storage_byte_seconds)
                    VALUES ({tenantId}, {day}, 0, 0, {byteSeconds})
                    ON CONFLICT (tenant_id, day) DO UPDATE
                    SET storage_byte_seconds = usage_records.storage_byte_seconds + excluded.storage_byte_seconds
                    """, ct);
            }
        }

        await db.Database.ExecuteSqlInterpolatedAsync(
            $"""
            INSERT INTO storage_samples (tenant_id, sampled_at, bytes) VALUES ({tenantId}, {now}, {bytes})
            ON CONFLICT (tenant_id) DO UPDATE SET sampled_at = excluded.sampled_at, bytes = excluded.bytes
            """, ct);
        await transaction.CommitAsync(ct);
    }

    /// <summary>Seconds of [<paramref name="from"/>, <paramref name="to"/>) on each UTC day.</summary>
    internal static IEnumerable<(DateOnly Day, double Seconds)> SplitByDay(DateTimeOffset from, DateTimeOffset to)
    {
        var start = from.ToUniversalTime();
        var end = to.ToUniversalTime();
        while (start < end)
        {
            var day = DateOnly.FromDateTime(start.UtcDateTime);
            var midnight = new DateTimeOffset(day.AddDays(1).ToDateTime(TimeOnly.MinValue), TimeSpan.Zero);
            var stop = midnight < end ? midnight : end;
            yield return (day, (stop - start).TotalSeconds);
            start = stop;
        }
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Storage of tenant {TenantId} not sampled: {Reason}")]
    private static partial void LogSampleFailed(ILogger logger, string tenantId, string reason);
}
