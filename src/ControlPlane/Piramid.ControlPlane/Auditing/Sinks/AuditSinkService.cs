using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using Piramid.Contracts.Admin;
using Piramid.ControlPlane.Data;
using Piramid.ControlPlane.Data.Entities;

namespace Piramid.ControlPlane.Auditing.Sinks;

/// <summary>
/// Runs the sinks: at start and every <see cref="AuditSinkOptions.PollInterval"/>, each sink that is due delivers until
/// its backlog is drained or it fails. A syslog sink is always due; an S3 sink when its last attempt failed or is
/// <see cref="AuditSinkOptions.S3Interval"/> old (hourly objects). State lives in PostgreSQL only, so a restarted
/// control plane resumes from the cursors.
/// </summary>
public sealed partial class AuditSinkService(
    IServiceScopeFactory scopes, IOptions<AuditSinkOptions> options, TimeProvider time, ILogger<AuditSinkService> logger) : BackgroundService
{
    /// <inheritdoc />
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        using var timer = new PeriodicTimer(options.Value.PollInterval, time);
        do
        {
            List<AuditSinkRecord> sinks;
            try
            {
                await using var scope = scopes.CreateAsyncScope();
                sinks = await scope.ServiceProvider.GetRequiredService<ControlPlaneDbContext>().AuditSinks.AsNoTracking().ToListAsync(stoppingToken);
            }
            catch (Exception e) when (e is not OperationCanceledException)
            {
                RoundFailed(logger, "*", e);
                continue;
            }

            foreach (var sink in sinks.Where(Due))
            {
                await DrainAsync(sink, stoppingToken);
            }
        }
        while (await timer.WaitForNextTickAsync(stoppingToken));
    }

    private bool Due(AuditSinkRecord sink) =>
        sink.Kind != AuditSinkKinds.S3 || sink.LastError is not null || sink.LastAttemptAt is not { } last
        || time.GetUtcNow() - last >= options.Value.S3Interval;

    private async Task DrainAsync(AuditSinkRecord sink, CancellationToken stoppingToken)
    {
        try
        {
            await using var scope = scopes.CreateAsyncScope();
            var delivery = scope.ServiceProvider.GetRequiredService<AuditSinkDelivery>();
            while (await delivery.RunOnceAsync(sink, stoppingToken) && !stoppingToken.IsCancellationRequested)
            {
                // A full batch went: more may be waiting.
            }
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            // The cursor did not move for what was not delivered: the next round sends it.
            RoundFailed(logger, sink.TenantId, e);
        }
    }

    [LoggerMessage(EventId = 4302, Level = LogLevel.Warning, Message = "Audit sink round failed for tenant {TenantId}; retrying next round")]
    private static partial void RoundFailed(ILogger logger, string tenantId, Exception exception);
}
