using System.Diagnostics;
using Piramid.ControlPlane.Data.Entities;

namespace Piramid.ControlPlane.Orchestration;

/// <summary>
/// Scale to zero (docs/design/hibernation.md): an engine idle for its plan's <c>hibernate_after_seconds</c> is stopped
/// cleanly (drain, flush, checkpoint) and its route stays known as hibernating; the gateway's first request wakes it.
/// </summary>
public sealed partial class LocalProcessOrchestrator
{
    /// <inheritdoc />
    public void RecordActivity(IEnumerable<string> tenantIds)
    {
        ArgumentNullException.ThrowIfNull(tenantIds);
        var now = _time.GetUtcNow();
        foreach (var tenantId in tenantIds)
        {
            if (_slots.GetValueOrDefault(tenantId) is { } slot && slot.LastActivity < now)
            {
                slot.LastActivity = now;
            }
        }
    }

    /// <inheritdoc />
    public IDisposable KeepAwake(string tenantId, EngineHoldKind kind)
    {
        if (_slots.GetValueOrDefault(tenantId) is not { } slot)
        {
            return NoHold.Instance;
        }

        slot.Hold();
        return new Hold(slot, kind == EngineHoldKind.Use ? _time : null);
    }

    /// <inheritdoc />
    public async Task<WakeOutcome> WakeAsync(string tenantId, CancellationToken cancellationToken)
    {
        if (!Contracts.Names.NameRules.TenantId.IsValid(tenantId))
        {
            return new WakeOutcome(WakeResult.NoEngine, null);
        }

        await _adopted.Task.WaitAsync(cancellationToken);
        // An engine still in its hibernation's grace is kept: the hibernation, which holds the gate, puts it back.
        EndGrace(_slots.GetValueOrDefault(tenantId));
        // The tenant's gate makes the wake idempotent: concurrent wakes queue here and find the engine running.
        var gate = GateOf(tenantId);
        await gate.WaitAsync(cancellationToken);
        try
        {
            var slot = _slots.GetValueOrDefault(tenantId) ?? await LoadSlotAsync(tenantId, cancellationToken);
            if (slot is null)
            {
                return new WakeOutcome(WakeResult.NoEngine, null);
            }

            if (slot.State == EngineState.Stopped)
            {
                return new WakeOutcome(WakeResult.Stopped, null); // Suspended on purpose: a request does not resume it.
            }

            if (slot.State == EngineState.Running && _routes.TryGetValue(tenantId, out var running))
            {
                return new WakeOutcome(WakeResult.Running, running);
            }

            var started = Stopwatch.GetTimestamp();
            slot.LastActivity = _time.GetUtcNow();
            try
            {
                var route = await EnsureRunningAsync(slot, cancellationToken);
                _telemetry.Woke(Stopwatch.GetElapsedTime(started), ready: true);
                OrchestratorLog.EngineWoke(_logger, tenantId, (long)Stopwatch.GetElapsedTime(started).TotalMilliseconds);
                return new WakeOutcome(WakeResult.Running, route);
            }
            catch (InvalidOperationException)
            {
                // Not ready (killed during the wake, or too slow): the slot is Crashed and the supervisor restarts it.
                _telemetry.Woke(Stopwatch.GetElapsedTime(started), ready: false);
                return new WakeOutcome(WakeResult.NotReady, null);
            }
        }
        finally
        {
            gate.Release();
        }
    }

    /// <inheritdoc />
    public IReadOnlyList<EngineRoute> GetHibernatingRoutes() =>
        [.. _slots.Values
            .Where(s => s.State is EngineState.Hibernating or EngineState.Waking && s.Endpoint is not null)
            .Select(s => new EngineRoute(s.TenantId, s.Endpoint!, s.Secret, s.State))];

    /// <summary>True when the running engine's plan hibernates it and no data request came for that long.</summary>
    private static bool IsIdle(EngineSlot slot, DateTimeOffset now) =>
        slot.HibernateAfter is { } idle && slot.Holds == 0 && now - slot.LastActivity >= idle;

    /// <summary>
    /// Recorded as Hibernating first (a control plane dying halfway does not restart it, and the gateway holds new
    /// requests instead of sending them to a stopping engine); then the grace, in which the engine still answers what a
    /// gateway sends before it learned of the withdrawal, and a wake keeps it; then SIGTERM: drain, flush, checkpoint.
    /// </summary>
    private async Task HibernateAsync(EngineSlot slot, CancellationToken cancellationToken)
    {
        OrchestratorLog.EngineHibernating(_logger, slot.TenantId, (long)(_time.GetUtcNow() - slot.LastActivity).TotalSeconds);
        // The grace opens before the state is recorded: a wake that follows the announcement always finds it.
        using var grace = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        slot.HibernationGrace = grace;
        try
        {
            slot.ShouldRun = false;
            slot.State = EngineState.Hibernating;
            _routes.TryRemove(slot.TenantId, out _);
            await SaveOrStayRunningAsync(slot, cancellationToken);
            // A use that began before the route was withdrawn may still be in flight: it keeps the engine too.
            if (await WokenDuringGraceAsync(grace.Token, cancellationToken) || slot.Holds > 0)
            {
                slot.ShouldRun = true;
                MarkRunning(slot); // Its idle period starts again.
                await SaveAsync(slot, cancellationToken);
                OrchestratorLog.HibernationCancelled(_logger, slot.TenantId);
                return;
            }
        }
        finally
        {
            slot.HibernationGrace = null;
        }

        if (slot.Pid is { } pid)
        {
            await TerminateAsync(slot.TenantId, pid, cancellationToken);
            slot.Pid = null;
            slot.ProcessStartTime = null;
            slot.Process?.Dispose();
            slot.Process = null;
            await SaveAsync(slot, cancellationToken);
        }

        _telemetry.Hibernated();
    }

    /// <summary>
    /// Records the hibernation; when that fails the engine is put back as it was (running, routed, supervised) and the
    /// next round tries again: left as it was, nobody would supervise a process that still runs.
    /// </summary>
    private async Task SaveOrStayRunningAsync(EngineSlot slot, CancellationToken cancellationToken)
    {
        try
        {
            await SaveAsync(slot, cancellationToken);
        }
        catch
        {
            slot.ShouldRun = true;
            slot.State = EngineState.Running;
            _routes[slot.TenantId] = new EngineRoute(slot.TenantId, slot.Endpoint!, slot.Secret, EngineState.Running);
            throw;
        }
    }

    /// <summary>Waits out <see cref="LocalOrchestratorOptions.HibernationGrace"/>; true when a wake ended it early.</summary>
    private async Task<bool> WokenDuringGraceAsync(CancellationToken grace, CancellationToken cancellationToken)
    {
        if (grace.IsCancellationRequested && !cancellationToken.IsCancellationRequested)
        {
            return true; // Woken while the state was being recorded.
        }

        if (_options.HibernationGrace <= TimeSpan.Zero)
        {
            return false;
        }

        try
        {
            await Task.Delay(_options.HibernationGrace, _time, grace);
            return false;
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            return true;
        }
    }

    private static void EndGrace(EngineSlot? slot)
    {
        try
        {
            slot?.HibernationGrace?.Cancel();
        }
        catch (ObjectDisposedException)
        {
            // The grace ended meanwhile: the engine stopped, and the wake starts it.
        }
    }

    // A use's release is activity (time given); a background hold's is not, or a loop polling more often than the idle
    // period would keep the engine awake for ever.
    private sealed class Hold(EngineSlot slot, TimeProvider? activity) : IDisposable
    {
        private int _released;

        public void Dispose()
        {
            if (Interlocked.Exchange(ref _released, 1) == 0)
            {
                if (activity is not null)
                {
                    slot.LastActivity = activity.GetUtcNow(); // Before the release: the supervisor never sees it idle and unheld at once.
                }

                slot.Release();
            }
        }
    }

    private sealed class NoHold : IDisposable
    {
        public static readonly NoHold Instance = new();

        public void Dispose()
        {
        }
    }
}
