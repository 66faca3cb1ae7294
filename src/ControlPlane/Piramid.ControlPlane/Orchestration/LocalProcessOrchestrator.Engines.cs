using System.Diagnostics;
using System.Globalization;
using Piramid.ControlPlane.Data.Entities;

namespace Piramid.ControlPlane.Orchestration;

/// <summary>Starting, checking and stopping one engine process. Callers hold the slot's gate.</summary>
public sealed partial class LocalProcessOrchestrator
{
    /// <summary>Starts the engine unless it already runs; throws when it does not become ready.</summary>
    private async Task<EngineRoute> EnsureRunningAsync(EngineSlot slot, CancellationToken cancellationToken)
    {
        slot.ShouldRun = true;
        if (slot.State == EngineState.Running && slot.Pid is { } pid && EngineProcesses.Serves(pid, slot.DataDirectory)
            && _routes.TryGetValue(slot.TenantId, out var route))
        {
            return route;
        }

        slot.Backoff = _options.RestartBackoffInitial;
        return await LaunchAsync(slot, cancellationToken)
            ? _routes[slot.TenantId]
            : throw new InvalidOperationException(
                $"The engine of tenant '{slot.TenantId}' did not become ready; the supervisor keeps retrying. See {LogFileOf(slot.TenantId)}.");
    }

    /// <summary>Starts a process and waits for <c>/health/ready</c>; on failure the slot is Crashed with a restart scheduled.</summary>
    private async Task<bool> LaunchAsync(EngineSlot slot, CancellationToken cancellationToken)
    {
        // Never two engines: whatever still runs for this directory is stopped first.
        if (slot.Pid is { } old && EngineProcesses.Serves(old, slot.DataDirectory))
        {
            await TerminateAsync(slot.TenantId, old, cancellationToken);
        }

        await WriteSecretFileAsync(slot, cancellationToken);
        Directory.CreateDirectory(Path.GetDirectoryName(LogFileOf(slot.TenantId))!);
        var port = EngineProcesses.PickPort(slot.Port);
        var endpoint = new Uri($"http://127.0.0.1:{port.ToString(CultureInfo.InvariantCulture)}");
        var environment = new Dictionary<string, string>(StringComparer.Ordinal)
        {
            [EngineProcesses.UrlsVariable] = endpoint.GetLeftPart(UriPartial.Authority),
            [EngineProcesses.DataDirectoryVariable] = slot.DataDirectory,
            [EngineProcesses.TenantVariable] = slot.TenantId,
            ["Engine__PlatformKeyFile"] = Path.GetFullPath(_options.PlatformKeyFile),
            ["Engine__EngineSecretFile"] = SecretFileOf(slot.TenantId),
            ["Engine__Durability"] = _options.Durability,
        };
        slot.Limits.AddTo(environment);

        var started = Stopwatch.GetTimestamp();
        slot.Process?.Dispose();
        slot.Process = EngineProcesses.Launch(Path.GetFullPath(_options.EngineBinary), LogFileOf(slot.TenantId), environment);
        slot.Pid = slot.Process.Id;
        slot.Port = port;
        slot.Endpoint = endpoint;
        slot.State = EngineState.Starting;
        slot.StartedAt = _time.GetUtcNow();
        slot.HealthFailures = 0;
        await SaveAsync(slot, cancellationToken);

        if (await WaitReadyAsync(slot, cancellationToken))
        {
            MarkRunning(slot);
            await SaveAsync(slot, cancellationToken);
            OrchestratorLog.EngineReady(_logger, slot.TenantId, slot.Pid.Value, endpoint, (long)Stopwatch.GetElapsedTime(started).TotalMilliseconds);
            return true;
        }

        if (EngineProcesses.IsAlive(slot.Pid.Value))
        {
            await TerminateAsync(slot.TenantId, slot.Pid.Value, cancellationToken); // Too slow: not ready within ReadyTimeout.
        }
        else if (await TryAdoptAnyAsync(slot, cancellationToken))
        {
            // It exited because another engine holds the directory's lock: that one serves, keep it.
            return true;
        }

        await MarkCrashedAsync(slot, "not ready after start", cancellationToken);
        return false;
    }

    private async Task<bool> WaitReadyAsync(EngineSlot slot, CancellationToken cancellationToken)
    {
        var deadline = _time.GetUtcNow() + _options.ReadyTimeout;
        while (_time.GetUtcNow() < deadline)
        {
            if (slot.Pid is not { } pid || !EngineProcesses.IsAlive(pid))
            {
                return false;
            }

            if (await IsHealthyAsync(slot.Endpoint!, cancellationToken))
            {
                return true;
            }

            await Task.Delay(TimeSpan.FromMilliseconds(25), _time, cancellationToken);
        }

        return false;
    }

    /// <summary>Adopts a live, ready engine found in /proc for the slot's directory (lock refusal, control-plane restart).</summary>
    private async Task<bool> TryAdoptAnyAsync(EngineSlot slot, CancellationToken cancellationToken)
    {
        foreach (var (pid, env) in EngineProcesses.FindUnder(DataRoot))
        {
            if (env[EngineProcesses.DataDirectoryVariable] != slot.DataDirectory
                || !env.TryGetValue(EngineProcesses.UrlsVariable, out var urls)
                || !Uri.TryCreate(urls.Split(';')[0], UriKind.Absolute, out var endpoint))
            {
                continue;
            }

            if (await IsHealthyAsync(endpoint, cancellationToken))
            {
                slot.Process?.Dispose();
                slot.Process = null;
                slot.Pid = pid;
                slot.Endpoint = endpoint;
                slot.Port = endpoint.Port;
                MarkRunning(slot);
                await SaveAsync(slot, cancellationToken);
                OrchestratorLog.EngineAdopted(_logger, slot.TenantId, pid, endpoint);
                return true;
            }
        }

        return false;
    }

    /// <summary>Suspend: recorded as Stopped first (a control plane dying halfway does not restart it), then SIGTERM.</summary>
    private async Task StopEngineAsync(EngineSlot slot, CancellationToken cancellationToken)
    {
        slot.ShouldRun = false;
        slot.State = EngineState.Stopped;
        _routes.TryRemove(slot.TenantId, out _);
        await SaveAsync(slot, cancellationToken);
        if (slot.Pid is { } pid)
        {
            await TerminateAsync(slot.TenantId, pid, cancellationToken);
            slot.Pid = null;
            await SaveAsync(slot, cancellationToken);
        }
    }

    /// <summary>SIGTERM, up to StopTimeout for the engine to drain and checkpoint, then SIGKILL.</summary>
    private async Task TerminateAsync(string tenantId, int pid, CancellationToken cancellationToken)
    {
        if (!EngineProcesses.Serves(pid, DataDirectoryOf(tenantId)))
        {
            return; // Gone, or the pid now belongs to another process: never signal that one.
        }

        EngineProcesses.Signal(pid, EngineProcesses.SigTerm);
        if (!await EngineProcesses.WaitForExitAsync(pid, _options.StopTimeout, _time, cancellationToken))
        {
            OrchestratorLog.EngineKilled(_logger, tenantId, pid, (long)_options.StopTimeout.TotalMilliseconds);
            EngineProcesses.Signal(pid, EngineProcesses.SigKill);
            await EngineProcesses.WaitForExitAsync(pid, TimeSpan.FromSeconds(10), _time, cancellationToken);
        }

        OrchestratorLog.EngineStopped(_logger, tenantId, pid);
    }

    private async Task<bool> IsHealthyAsync(Uri endpoint, CancellationToken cancellationToken)
    {
        try
        {
            using var response = await _health.GetAsync(new Uri(endpoint, "/health/ready"), cancellationToken);
            return response.IsSuccessStatusCode;
        }
        catch (HttpRequestException)
        {
            return false;
        }
        catch (TaskCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            return false; // The client's timeout: an engine that hangs is not healthy.
        }
    }

    private void MarkRunning(EngineSlot slot)
    {
        slot.State = EngineState.Running;
        slot.HealthFailures = 0;
        slot.HealthySince = _time.GetUtcNow();
        _routes[slot.TenantId] = new EngineRoute(slot.TenantId, slot.Endpoint!, slot.Secret, EngineState.Running);
    }

    /// <summary>Crashed: route withdrawn, next restart after the current backoff, which then doubles.</summary>
    private async Task MarkCrashedAsync(EngineSlot slot, string reason, CancellationToken cancellationToken)
    {
        _routes.TryRemove(slot.TenantId, out _);
        slot.State = EngineState.Crashed;
        slot.NextRestartAt = _time.GetUtcNow() + slot.Backoff;
        OrchestratorLog.EngineCrashed(_logger, slot.TenantId, slot.Pid, reason, (long)slot.Backoff.TotalMilliseconds, slot.RestartCount + 1);
        slot.Backoff = TimeSpan.FromTicks(Math.Min(slot.Backoff.Ticks * 2, _options.RestartBackoffMax.Ticks));
        await SaveAsync(slot, cancellationToken);
    }

    /// <summary>Writes the secret file the engine reads (base64, mode 0600) from the database's copy, atomically.</summary>
    private async Task WriteSecretFileAsync(EngineSlot slot, CancellationToken cancellationToken)
    {
        if (OperatingSystem.IsWindows())
        {
            throw new PlatformNotSupportedException("The local orchestrator runs engines on Linux (owner-only files, /proc, signals).");
        }

        var path = SecretFileOf(slot.TenantId);
        var directory = Path.GetDirectoryName(path)!;
        if (!Directory.Exists(directory))
        {
            Directory.CreateDirectory(directory, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
        }

        var temp = path + ".tmp";
        var options = new FileStreamOptions
        {
            Mode = FileMode.Create,
            Access = FileAccess.Write,
            UnixCreateMode = UnixFileMode.UserRead | UnixFileMode.UserWrite,
        };
        File.Delete(temp); // UnixCreateMode applies only to a new file.
        await using (var stream = new FileStream(temp, options))
        {
            await stream.WriteAsync(System.Text.Encoding.ASCII.GetBytes(Convert.ToBase64String(slot.Secret)), cancellationToken);
            stream.Flush(flushToDisk: true);
        }

        File.Move(temp, path, overwrite: true);
    }
}
