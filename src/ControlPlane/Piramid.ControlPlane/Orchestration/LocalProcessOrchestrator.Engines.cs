using System.Diagnostics;
using System.Globalization;
using System.Security.Cryptography;
using Piramid.Contracts.Identity;
using Piramid.ControlPlane.Data.Entities;
using Piramid.KeyWrapping;

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
        // A start from hibernation shows as waking (GET /v1/tenants/{id}), and the gateway keeps holding requests.
        var waking = slot.State is EngineState.Hibernating or EngineState.Waking;
        if (waking && slot.State != EngineState.Waking)
        {
            slot.State = EngineState.Waking;
            await SaveAsync(slot, cancellationToken);
        }

        // Never two engines: whatever still runs for this directory is stopped first.
        if (slot.Pid is { } old && EngineProcesses.Serves(old, slot.DataDirectory))
        {
            await TerminateAsync(slot.TenantId, old, cancellationToken);
        }

        int? uid = _options.UsesEngineUsers ? await UserIdOfAsync(slot, cancellationToken) : null;
        PrepareDirectories(slot, uid);
        await WriteKeyFileAsync(slot, uid, cancellationToken);
        var port = TakePort(slot);
        var endpoint = new Uri($"http://127.0.0.1:{port.ToString(CultureInfo.InvariantCulture)}");
        var environment = new Dictionary<string, string>(StringComparer.Ordinal)
        {
            [EngineProcesses.UrlsVariable] = endpoint.GetLeftPart(UriPartial.Authority),
            [EngineProcesses.DataDirectoryVariable] = slot.DataDirectory,
            [EngineProcesses.TenantVariable] = slot.TenantId,
            ["Engine__KeyFile"] = KeyFileOf(slot.TenantId),
            ["Engine__Durability"] = _options.Durability,
        };
        slot.Limits.AddTo(environment); // The plan's limits, its engine heap among them.
        if (!string.IsNullOrWhiteSpace(_options.OtlpEndpoint))
        {
            // Only where to send spans: OTLP headers may carry a collector's credential, which is not the engine's.
            environment["OTEL_EXPORTER_OTLP_ENDPOINT"] = _options.OtlpEndpoint;
            if (!string.IsNullOrWhiteSpace(_options.OtlpProtocol))
            {
                environment["OTEL_EXPORTER_OTLP_PROTOCOL"] = _options.OtlpProtocol;
            }
        }

        if (uid is not null)
        {
            environment["HOME"] = Path.GetDirectoryName(slot.DataDirectory)!; // Root's home is not the tenant's to read.
        }

        var started = Stopwatch.GetTimestamp();
        slot.Process?.Dispose();
        slot.Process = EngineProcesses.Launch(Path.GetFullPath(_options.EngineBinary), LogFileOf(slot.TenantId), environment, uid);
        slot.Pid = slot.Process.Id;
        slot.ProcessStartTime = EngineIdentity.StartTimeOf(slot.Pid.Value); // Same pid and start time through sh, setsid and setpriv: each execs.
        slot.Endpoint = endpoint;
        slot.State = waking ? EngineState.Waking : EngineState.Starting;
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
        else if (await TryAdoptAnyAsync(slot, recordedOnly: false, cancellationToken))
        {
            // It exited because another engine holds the directory's lock: that one serves, keep it.
            return true;
        }

        await MarkCrashedAsync(slot, "not ready after start", cancellationToken);
        return false;
    }

    /// <summary>
    /// Picks the slot's port and books it in the same step (<see cref="EngineProcesses.PickPort"/>): every other
    /// slot's port is held, the hibernating ones' too, so concurrent starts never share one.
    /// </summary>
    private int TakePort(EngineSlot slot)
    {
        lock (_portBook)
        {
            var held = _slots.Values
                .Where(other => other.TenantId != slot.TenantId && other.Port is not null)
                .Select(other => other.Port!.Value)
                .ToHashSet();
            slot.Port = EngineProcesses.PickPort(slot.Port, held);
            return slot.Port.Value;
        }
    }

    // A wake's first request waits for this poll: an engine listens only once it is open, so until then a poll is one
    // refused connect, and a short interval costs nothing while 25 ms added 12 ms to the average wake.
    private static readonly TimeSpan ReadyPollInterval = TimeSpan.FromMilliseconds(5);

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
                // Ready is said by whoever listens on the port. Only the tenant's own engine holds its secret: anyone
                // else there (a process that took the port after the pick) would be given the tenant's requests.
                if (await AnswersChallengeAsync(slot, slot.Endpoint!, cancellationToken))
                {
                    return true;
                }

                OrchestratorLog.PortTakenByAnother(_logger, slot.TenantId, slot.Endpoint!);
                return false;
            }

            await Task.Delay(ReadyPollInterval, _time, cancellationToken);
        }

        return false;
    }

    /// <summary>
    /// Adopts a live engine found in /proc for the slot's directory once it proves to be the tenant's engine
    /// (<see cref="RefusalOfAsync"/>). With <paramref name="recordedOnly"/> (control-plane start) only the
    /// process recorded in the row, same pid and same start time; otherwise (lock refusal) any that passes.
    /// </summary>
    private async Task<bool> TryAdoptAnyAsync(EngineSlot slot, bool recordedOnly, CancellationToken cancellationToken)
    {
        foreach (var (pid, env) in EngineProcesses.FindUnder(DataRoot))
        {
            if (env[EngineProcesses.DataDirectoryVariable] != slot.DataDirectory
                || !env.TryGetValue(EngineProcesses.UrlsVariable, out var urls)
                || !Uri.TryCreate(urls.Split(';')[0], UriKind.Absolute, out var endpoint))
            {
                continue;
            }

            var startTime = EngineIdentity.StartTimeOf(pid);
            var refusal = recordedOnly && (pid != slot.Pid || startTime is null || startTime != slot.ProcessStartTime)
                ? "it is not the process recorded for the tenant (pid and start time)"
                : await RefusalOfAsync(slot, pid, endpoint, cancellationToken);
            if (refusal is not null)
            {
                OrchestratorLog.AdoptionRefused(_logger, slot.TenantId, pid, refusal);
                continue;
            }

            slot.Process?.Dispose();
            slot.Process = null;
            slot.Pid = pid;
            slot.ProcessStartTime = startTime;
            slot.Endpoint = endpoint;
            slot.Port = endpoint.Port;
            MarkRunning(slot);
            await SaveAsync(slot, cancellationToken);
            OrchestratorLog.EngineAdopted(_logger, slot.TenantId, pid, endpoint);
            return true;
        }

        return false;
    }

    /// <summary>
    /// Why <paramref name="pid"/> is not the tenant's engine, or null when it is: it runs the engine binary, as
    /// the tenant's uid, owns the socket listening on the loopback endpoint, answers the challenge only the
    /// holder of the tenant's engine secret can answer, and is ready. Environment and argv prove nothing.
    /// </summary>
    private async Task<string?> RefusalOfAsync(EngineSlot slot, int pid, Uri endpoint, CancellationToken cancellationToken)
    {
        if (!EngineIdentity.RunsBinary(pid, _options.EngineBinary))
        {
            return $"it does not run the engine binary {_options.EngineBinary}";
        }

        var uid = _options.UsesEngineUsers ? slot.UserId : EngineIdentity.OwnUid;
        if (uid is not { } expected || !EngineIdentity.RunsAs(pid, expected))
        {
            return $"it does not run as the engine's uid {uid}";
        }

        if (endpoint.Host != "127.0.0.1" || !EngineIdentity.ListensOnLoopback(pid, endpoint.Port))
        {
            return $"it does not itself listen on 127.0.0.1:{endpoint.Port}";
        }

        if (!await AnswersChallengeAsync(slot, endpoint, cancellationToken))
        {
            return "it did not answer the challenge with the tenant's engine secret";
        }

        return await IsHealthyAsync(endpoint, cancellationToken) ? null : "it is not ready";
    }

    private async Task<bool> AnswersChallengeAsync(EngineSlot slot, Uri endpoint, CancellationToken cancellationToken)
    {
        var nonce = AdoptionChallenge.NewNonce();
        try
        {
            using var response = await _health.GetAsync(
                new Uri(endpoint, $"{AdoptionChallenge.Path}?{AdoptionChallenge.NonceParameter}={nonce}"), cancellationToken);
            if (!response.IsSuccessStatusCode)
            {
                return false;
            }

            var answer = await response.Content.ReadAsStringAsync(cancellationToken);
            return AdoptionChallenge.Verify(slot.Secret, slot.TenantId, nonce, answer);
        }
        catch (HttpRequestException)
        {
            return false;
        }
        catch (TaskCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            return false;
        }
    }

    /// <summary>True while the slot's process lives: same pid and, when recorded, the same start time (not a reused pid).</summary>
    private static bool IsSameProcess(EngineSlot slot) =>
        slot.Pid is { } pid && EngineProcesses.IsAlive(pid)
        && (slot.ProcessStartTime is null || EngineIdentity.StartTimeOf(pid) == slot.ProcessStartTime);

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
        slot.LastActivity = slot.HealthySince.Value; // A start counts as activity: the idle period starts now.
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

    /// <summary>
    /// Writes the key file the engine reads at start (docs/design/encryption.md): the data key unwrapped here,
    /// with the platform key that never leaves the control plane, and the engine secret. Owner-only, atomic.
    /// </summary>
    private async Task WriteKeyFileAsync(EngineSlot slot, int? uid, CancellationToken cancellationToken)
    {
        if (OperatingSystem.IsWindows())
        {
            throw new PlatformNotSupportedException("The local orchestrator runs engines on Linux (owner-only files, /proc, signals).");
        }

        var path = KeyFileOf(slot.TenantId);
        var directory = Path.GetDirectoryName(path)!;
        File.Delete(Path.Combine(directory, slot.TenantId + ".secret")); // The engine-secret-only file of earlier versions.
        byte[] content;
        var dataKey = GC.AllocateArray<byte>(DataKeyWrap.KeyLength, pinned: true);
        try
        {
            UnwrapDataKey(slot, dataKey);
            content = EngineKeyFile.Format(slot.TenantId, dataKey, slot.Secret);
        }
        finally
        {
            CryptographicOperations.ZeroMemory(dataKey);
        }

        var temp = path + ".tmp";
        var options = new FileStreamOptions
        {
            Mode = FileMode.CreateNew,
            Access = FileAccess.Write,
            UnixCreateMode = UnixFileMode.UserRead,
        };
        try
        {
            File.Delete(temp); // UnixCreateMode applies only to a new file.
            await using (var stream = new FileStream(temp, options))
            {
                await stream.WriteAsync(content, cancellationToken);
                stream.Flush(flushToDisk: true);
            }

            if (uid is { } owner)
            {
                EngineAccounts.Chown(temp, owner); // Before the rename: the file is never the tenant's to read under another owner.
            }

            File.Move(temp, path, overwrite: true);
        }
        finally
        {
            CryptographicOperations.ZeroMemory(content);
        }
    }

    /// <summary>
    /// Directories as the engine needs them: with per-tenant uids, <c>tenants/</c> and <c>secrets/</c> root 0711
    /// (traversed, never listed by others), the tenant's tree owned by its uid, 0700; <c>logs/</c> root 0700.
    /// </summary>
    private void PrepareDirectories(EngineSlot slot, int? uid)
    {
        var tenantDirectory = Path.GetDirectoryName(slot.DataDirectory)!;
        Directory.CreateDirectory(slot.DataDirectory);
        var shared = uid is null ? EngineAccounts.OwnerOnly : EngineAccounts.Traversable;
        // Set whether or not it exists: creating the data directory above (or at provisioning) made it with the
        // umask's mode, and under `./piramid`'s 077 an engine's uid could not traverse it.
        EngineAccounts.EnsureDirectory(StateDirectory, shared);

        EngineAccounts.EnsureDirectory(DataRoot, shared);
        EngineAccounts.EnsureDirectory(Path.GetDirectoryName(KeyFileOf(slot.TenantId))!, shared);
        EngineAccounts.EnsureDirectory(Path.GetDirectoryName(LogFileOf(slot.TenantId))!, EngineAccounts.OwnerOnly);
        if (uid is { } owner)
        {
            EngineAccounts.GiveTree(tenantDirectory, owner);
            EngineAccounts.SetMode(slot.DataDirectory, EngineAccounts.OwnerOnly);
        }
    }

    /// <summary>
    /// The tenant's data key, unwrapped by the control plane (the key manager). The directory's
    /// <c>datakey.wrapped</c> is the source (existing directories keep working); the database copy stands in
    /// when the file is gone.
    /// </summary>
    private void UnwrapDataKey(EngineSlot slot, Span<byte> dataKey)
    {
        var file = Path.Combine(slot.DataDirectory, DataKeyWrap.FileName);
        var (wrapped, source) = File.Exists(file) ? (File.ReadAllBytes(file), file) : (slot.WrappedDataKey, $"the database's wrapped data key of '{slot.TenantId}'");
        DataKeyWrap.Unwrap(wrapped, _keys.PlatformKey, dataKey, source);
    }
}
