using System.Collections.Concurrent;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using Piramid.Contracts.Admin;
using Piramid.ControlPlane.Data;
using Piramid.ControlPlane.Data.Entities;

namespace Piramid.ControlPlane.Auditing.Sinks;

/// <summary>
/// Runs the sinks: at start and every <see cref="AuditSinkOptions.PollInterval"/>, each sink that is due and not still
/// busy from an earlier tick delivers, at most <see cref="AuditSinkOptions.BatchesPerRound"/> batches, until its backlog
/// is drained or it fails. Sinks run side by side, at most <see cref="AuditSinkOptions.Parallelism"/> at once, those
/// whose last attempt did not fail first, then the least recently attempted. A delivery still running two ticks after
/// its start waits on a slow or black-holed receiver (until <see cref="AuditSinkOptions.DeliveryTimeout"/>): it gives
/// its slot back, so slow receivers never hold every slot (at most <see cref="SlowPerSlot"/> of them per slot at once,
/// which bounds the connections). A syslog sink is always due; an S3 sink when its last attempt failed or is
/// <see cref="AuditSinkOptions.S3Interval"/> old (hourly objects). State lives in PostgreSQL only, so a restarted
/// control plane resumes from the cursors.
/// </summary>
public sealed partial class AuditSinkService(
    IServiceScopeFactory scopes, IOptions<AuditSinkOptions> options, TimeProvider time, ILogger<AuditSinkService> logger) : BackgroundService
{
    private readonly ConcurrentDictionary<string, byte> _busy = new(StringComparer.Ordinal);
    private readonly SemaphoreSlim _slots = new(options.Value.Parallelism);
    private readonly ConcurrentDictionary<Task, byte> _running = new();
    private readonly Lock _gate = new();
    private int _slow;

    /// <summary>Most deliveries per <see cref="AuditSinkOptions.Parallelism"/> slot that run on without a slot.</summary>
    public const int SlowPerSlot = 4;

    /// <inheritdoc />
    public override void Dispose()
    {
        _slots.Dispose();
        base.Dispose();
    }

    /// <inheritdoc />
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        try
        {
            await RoundsAsync(stoppingToken);
        }
        finally
        {
            // The deliveries still running see the stop too; wait for them, so none outlives the service.
            await Task.WhenAll(_running.Keys);
        }
    }

    private async Task RoundsAsync(CancellationToken stoppingToken)
    {
        using var timer = new PeriodicTimer(options.Value.PollInterval, time);
        do
        {
            List<AuditSinkRecord> sinks;
            try
            {
                await using var scope = scopes.CreateAsyncScope();
                sinks = await scope.ServiceProvider.GetRequiredService<ControlPlaneDbContext>().AuditSinks.AsNoTracking()
                    .OrderBy(s => s.LastError != null).ThenBy(s => s.LastAttemptAt != null).ThenBy(s => s.LastAttemptAt).ThenBy(s => s.TenantId)
                    .ToListAsync(stoppingToken);
            }
            catch (Exception e) when (e is not OperationCanceledException)
            {
                RoundFailed(logger, "*", e);
                continue;
            }

            foreach (var sink in sinks.Where(Due))
            {
                if (!_busy.TryAdd(sink.TenantId, 0))
                {
                    continue; // still delivering since an earlier tick
                }

                if (!_slots.Wait(0, CancellationToken.None))
                {
                    _busy.TryRemove(sink.TenantId, out _);
                    break; // every slot busy: the rest go at the next tick
                }

                var run = Task.Run(() => RunAsync(sink, stoppingToken), CancellationToken.None);
                _running.TryAdd(run, 0);
                _ = run.ContinueWith(done => _running.TryRemove(done, out _), CancellationToken.None, TaskContinuationOptions.None, TaskScheduler.Default);
            }
        }
        while (await timer.WaitForNextTickAsync(stoppingToken));
    }

    private bool Due(AuditSinkRecord sink) =>
        sink.Kind != AuditSinkKinds.S3 || sink.LastError is not null || sink.LastAttemptAt is not { } last
        || time.GetUtcNow() - last >= options.Value.S3Interval;

    private async Task RunAsync(AuditSinkRecord sink, CancellationToken stoppingToken)
    {
        var slot = new SlotState();
        var slowAfter = options.Value.PollInterval * 2;
        await using (time.CreateTimer(_ => GiveBack(slot), null, slowAfter, Timeout.InfiniteTimeSpan))
        {
            try
            {
                await DrainAsync(sink, stoppingToken);
            }
            finally
            {
                _busy.TryRemove(sink.TenantId, out _);
                bool gaveBack;
                lock (_gate)
                {
                    slot.Done = true;
                    gaveBack = slot.GaveBack;
                    _slow -= gaveBack ? 1 : 0;
                }

                if (!gaveBack)
                {
                    _slots.Release();
                }
            }
        }
    }

    // A slow delivery lets the next sink start (unless too many run on without a slot already).
    private void GiveBack(SlotState slot)
    {
        lock (_gate)
        {
            if (slot.Done || slot.GaveBack || _slow >= SlowPerSlot * options.Value.Parallelism)
            {
                return;
            }

            slot.GaveBack = true;
            _slow++;
        }

        _slots.Release();
    }

    private async Task DrainAsync(AuditSinkRecord sink, CancellationToken stoppingToken)
    {
        try
        {
            await using var scope = scopes.CreateAsyncScope();
            var delivery = scope.ServiceProvider.GetRequiredService<AuditSinkDelivery>();
            for (var batches = 1; await delivery.RunOnceAsync(sink, stoppingToken) && batches < options.Value.BatchesPerRound; batches++)
            {
                // A full batch went: more may be waiting (the rest after the next tick, so a big backlog shares time).
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
            // Stopping: the cursor did not move for what was not delivered.
        }
        catch (Exception e)
        {
            // The cursor did not move for what was not delivered: the next round sends it.
            RoundFailed(logger, sink.TenantId, e);
        }
    }

    private sealed class SlotState
    {
        public bool Done { get; set; }

        public bool GaveBack { get; set; }
    }

    [LoggerMessage(EventId = 4302, Level = LogLevel.Warning, Message = "Audit sink round failed for tenant {TenantId}; retrying next round")]
    private static partial void RoundFailed(ILogger logger, string tenantId, Exception exception);
}
