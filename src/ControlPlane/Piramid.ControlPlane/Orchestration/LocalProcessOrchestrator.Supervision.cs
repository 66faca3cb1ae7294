using System.Data.Common;
using Piramid.ControlPlane.Data.Entities;

namespace Piramid.ControlPlane.Orchestration;

/// <summary>Adoption at start and the supervision rounds (liveness, health, restart with backoff).</summary>
public sealed partial class LocalProcessOrchestrator
{
    /// <summary>
    /// Run once at control-plane start, before anything else: every engine row gets a slot; a live, ready
    /// engine for its directory is adopted (same pid); rows that should run without one are started by the
    /// next round; engines nobody wants (stopped tenants, purged tenants, duplicates) are stopped.
    /// </summary>
    public async Task AdoptAsync(CancellationToken cancellationToken)
    {
        if (_adopted.Task.IsCompleted)
        {
            return;
        }

        var running = EngineProcesses.FindUnder(DataRoot);
        var claimed = new HashSet<int>();
        int adopted = 0, toStart = 0, orphans = 0;
        foreach (var slot in await LoadAllSlotsAsync(cancellationToken))
        {
            _slots[slot.TenantId] = slot;
            if (slot.ShouldRun && await TryAdoptAnyAsync(slot, recordedOnly: true, cancellationToken))
            {
                claimed.Add(slot.Pid!.Value);
                adopted++;
            }
            else if (slot.ShouldRun)
            {
                // Recorded as running but not found ready: the first round starts it.
                slot.State = EngineState.Crashed;
                slot.NextRestartAt = _time.GetUtcNow();
                toStart++;
            }
        }

        foreach (var (pid, env) in running.Where(p => !claimed.Contains(p.Pid)))
        {
            var directory = env[EngineProcesses.DataDirectoryVariable];
            if (!EngineIdentity.RunsBinary(pid, _options.EngineBinary))
            {
                // It only names a data directory: not ours to signal. It is not adopted either.
                OrchestratorLog.ImpostorIgnored(_logger, pid, directory, EngineIdentity.ExecutableOf(pid));
                continue;
            }

            OrchestratorLog.OrphanStopped(_logger, pid, directory);
            EngineProcesses.Signal(pid, EngineProcesses.SigTerm);
            if (!await EngineProcesses.WaitForExitAsync(pid, _options.StopTimeout, _time, cancellationToken))
            {
                EngineProcesses.Signal(pid, EngineProcesses.SigKill);
            }

            orphans++;
        }

        OrchestratorLog.AdoptionDone(_logger, adopted, toStart, orphans);
        _adopted.TrySetResult();
    }

    /// <summary>One supervision round: checks every engine that should run whose gate is free, in the background.</summary>
    public void SuperviseOnce()
    {
        if (Volatile.Read(ref _disposed) != 0)
        {
            return;
        }

        foreach (var slot in _slots.Values)
        {
            var gate = GateOf(slot.TenantId);
            if (!slot.ShouldRun || !gate.Wait(0))
            {
                continue; // Stopped on purpose, or a start, stop or restart is under way.
            }

            var check = Task.Run(async () =>
            {
                try
                {
                    await CheckAsync(slot, _disposing.Token);
                }
                catch (Exception e) when (e is DbException or IOException or InvalidOperationException or UnauthorizedAccessException
                    or Microsoft.EntityFrameworkCore.DbUpdateException)
                {
                    OrchestratorLog.SupervisionFailed(_logger, slot.TenantId, e);
                }
                finally
                {
                    gate.Release();
                }
            });
            _background.TryAdd(check, 0);
            _ = check.ContinueWith(t => _background.TryRemove(t, out _), CancellationToken.None, TaskContinuationOptions.ExecuteSynchronously, TaskScheduler.Default);
        }

        Interlocked.Increment(ref _rounds);
    }

    private async Task CheckAsync(EngineSlot slot, CancellationToken cancellationToken)
    {
        if (!slot.ShouldRun || !_slots.ContainsKey(slot.TenantId))
        {
            return; // Stopped or purged between the round and this check.
        }

        var now = _time.GetUtcNow();
        switch (slot.State)
        {
            case EngineState.Running or EngineState.Starting or EngineState.Waking:
                if (slot.Pid is not { } pid || !IsSameProcess(slot))
                {
                    await MarkCrashedAsync(slot, "the process exited", cancellationToken);
                    return;
                }

                if (await IsHealthyAsync(slot.Endpoint!, cancellationToken))
                {
                    if (slot.State is EngineState.Starting or EngineState.Waking)
                    {
                        MarkRunning(slot);
                        await SaveAsync(slot, cancellationToken);
                    }

                    slot.HealthFailures = 0;
                    if (slot.State == EngineState.Running && IsIdle(slot, now))
                    {
                        await HibernateAsync(slot, cancellationToken);
                        return;
                    }

                    if (slot.RestartCount > 0 && now - slot.HealthySince >= _options.HealthyResetAfter)
                    {
                        slot.RestartCount = 0;
                        slot.Backoff = _options.RestartBackoffInitial;
                        await SaveAsync(slot, cancellationToken);
                    }

                    return;
                }

                // A starting engine (adopted mid-start) gets ReadyTimeout; a running one a few missed checks.
                var givenUp = slot.State is EngineState.Starting or EngineState.Waking
                    ? now - slot.StartedAt > _options.ReadyTimeout
                    : ++slot.HealthFailures >= _options.HealthFailureThreshold;
                if (givenUp)
                {
                    await TerminateAsync(slot.TenantId, pid, cancellationToken);
                    await MarkCrashedAsync(slot, "/health/ready failed", cancellationToken);
                }

                return;

            default:
                if (now >= slot.NextRestartAt)
                {
                    slot.RestartCount++;
                    _telemetry.Restarted();
                    await LaunchAsync(slot, cancellationToken);
                }

                return;
        }
    }
}
