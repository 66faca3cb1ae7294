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
    public async Task<WakeOutcome> WakeAsync(string tenantId, CancellationToken cancellationToken)
    {
        if (!Contracts.Names.NameRules.TenantId.IsValid(tenantId))
        {
            return new WakeOutcome(WakeResult.NoEngine, null);
        }

        await _adopted.Task.WaitAsync(cancellationToken);
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
        slot.HibernateAfter is { } idle && now - slot.LastActivity >= idle;

    /// <summary>
    /// Recorded as Hibernating first (a control plane dying halfway does not restart it, and the gateway holds new
    /// requests instead of sending them to a stopping engine), then SIGTERM: the engine drains, flushes and checkpoints.
    /// </summary>
    private async Task HibernateAsync(EngineSlot slot, CancellationToken cancellationToken)
    {
        OrchestratorLog.EngineHibernating(_logger, slot.TenantId, (long)(_time.GetUtcNow() - slot.LastActivity).TotalSeconds);
        slot.ShouldRun = false;
        slot.State = EngineState.Hibernating;
        _routes.TryRemove(slot.TenantId, out _);
        await SaveAsync(slot, cancellationToken);
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
}
