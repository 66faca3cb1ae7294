using System.Collections.Concurrent;
using System.Security.Cryptography;
using Microsoft.Extensions.Options;
using Piramid.ControlPlane.Data.Entities;
using Piramid.KeyWrapping;

namespace Piramid.ControlPlane.Orchestration;

/// <summary>
/// Runs one engine process per tenant on this machine (loopback ports), records them in the
/// <c>engines</c> table, and keeps them running with <see cref="EngineSupervisor"/>. Engines live in their
/// own sessions, so a restarted control plane adopts them instead of starting second copies.
/// Layout under <see cref="LocalOrchestratorOptions.StateDirectory"/>: docs/design/orchestration.md.
/// </summary>
public sealed partial class LocalProcessOrchestrator : IEngineOrchestrator, IAsyncDisposable
{
    private readonly IServiceScopeFactory _scopes;
    private readonly LocalOrchestratorOptions _options;
    private readonly TimeProvider _time;
    private readonly ILogger<LocalProcessOrchestrator> _logger;
    private readonly PlatformKeyring _keys;
    private readonly HttpClient _health;
    private readonly ConcurrentDictionary<string, EngineSlot> _slots = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, SemaphoreSlim> _gates = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, EngineRoute> _routes = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<Task, byte> _background = new();
    private readonly TaskCompletionSource _adopted = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly CancellationTokenSource _disposing = new();
    private readonly OrchestratorTelemetry _telemetry;
    private readonly Lock _portBook = new();
    private readonly SemaphoreSlim _uidClaims = new(1, 1);
    private long _rounds;
    private int _disposed;

    /// <summary>Creates the orchestrator; the platform key file is read once, here.</summary>
    public LocalProcessOrchestrator(
        IServiceScopeFactory scopes, IOptions<LocalOrchestratorOptions> options, TimeProvider time, ILogger<LocalProcessOrchestrator> logger,
        OrchestratorTelemetry telemetry)
    {
        ArgumentNullException.ThrowIfNull(options);
        _scopes = scopes;
        _telemetry = telemetry;
        _options = options.Value;
        _time = time;
        _logger = logger;
        StateDirectory = Path.GetFullPath(_options.StateDirectory);
        _keys = PlatformKeyring.LoadFile(_options.PlatformKeyFile);
        _health = new HttpClient(new SocketsHttpHandler { ConnectTimeout = TimeSpan.FromSeconds(1), PooledConnectionLifetime = TimeSpan.FromMinutes(1) })
        {
            Timeout = TimeSpan.FromSeconds(2),
        };
    }

    /// <summary>Absolute root of data directories, secrets and logs.</summary>
    public string StateDirectory { get; }

    /// <summary>Completed supervision rounds (lets a caller wait for the supervisor to have looked).</summary>
    public long SupervisionRounds => Interlocked.Read(ref _rounds);

    private string DataRoot => Path.Combine(StateDirectory, "tenants");

    /// <summary>The tenant's data directory: <c>&lt;StateDirectory&gt;/tenants/&lt;tenantId&gt;/data</c>.</summary>
    public string DataDirectoryOf(string tenantId) => Path.Combine(DataRoot, CheckTenantId(tenantId), "data");

    /// <summary>The owner-only key file (data key and engine secret) the engine reads at start, rewritten before every start.</summary>
    public string KeyFileOf(string tenantId) => Path.Combine(StateDirectory, "secrets", CheckTenantId(tenantId) + ".keys");

    /// <summary>The engine's stdout and stderr.</summary>
    public string LogFileOf(string tenantId) => Path.Combine(StateDirectory, "logs", CheckTenantId(tenantId) + ".log");

    /// <inheritdoc />
    public async Task<EngineRoute> ProvisionAsync(Tenant tenant, Plan plan, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(tenant);
        ArgumentNullException.ThrowIfNull(plan);
        var tenantId = CheckTenantId(tenant.Id);
        await _adopted.Task.WaitAsync(cancellationToken);
        var gate = GateOf(tenantId);
        await gate.WaitAsync(cancellationToken);
        try
        {
            var slot = _slots.GetValueOrDefault(tenantId) ?? await LoadSlotAsync(tenantId, cancellationToken);
            if (slot is null)
            {
                slot = await CreateEngineAsync(tenantId, cancellationToken);
                _slots[tenantId] = slot;
            }

            slot.Limits = EngineLimits.From(plan);
            slot.HibernateAfter = HibernateAfterOf(plan);
            return await EnsureRunningAsync(slot, cancellationToken);
        }
        finally
        {
            gate.Release();
        }
    }

    /// <inheritdoc />
    public async Task<EngineRoute> StartAsync(string tenantId, CancellationToken cancellationToken)
    {
        await _adopted.Task.WaitAsync(cancellationToken);
        var gate = GateOf(CheckTenantId(tenantId));
        await gate.WaitAsync(cancellationToken);
        try
        {
            var slot = _slots.GetValueOrDefault(tenantId) ?? await LoadSlotAsync(tenantId, cancellationToken)
                ?? throw new InvalidOperationException($"Tenant '{tenantId}' has no engine; provision it first.");
            return await EnsureRunningAsync(slot, cancellationToken);
        }
        finally
        {
            gate.Release();
        }
    }

    /// <inheritdoc />
    public async Task StopAsync(string tenantId, CancellationToken cancellationToken)
    {
        await _adopted.Task.WaitAsync(cancellationToken);
        var gate = GateOf(CheckTenantId(tenantId));
        await gate.WaitAsync(cancellationToken);
        try
        {
            if (_slots.GetValueOrDefault(tenantId) is { } slot)
            {
                await StopEngineAsync(slot, cancellationToken);
            }
        }
        finally
        {
            gate.Release();
        }
    }

    /// <inheritdoc />
    public async Task ApplyPlanAsync(string tenantId, Plan plan, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(plan);
        await _adopted.Task.WaitAsync(cancellationToken);
        var gate = GateOf(CheckTenantId(tenantId));
        await gate.WaitAsync(cancellationToken);
        try
        {
            var slot = _slots.GetValueOrDefault(tenantId) ?? await LoadSlotAsync(tenantId, cancellationToken)
                ?? throw new InvalidOperationException($"Tenant '{tenantId}' has no engine; provision it first.");
            slot.HibernateAfter = HibernateAfterOf(plan); // Read by the supervisor: no restart needed.
            var limits = EngineLimits.From(plan);
            if (limits == slot.Limits)
            {
                return;
            }

            slot.Limits = limits;
            if (slot.ShouldRun)
            {
                // The engine reads its limits at start: a clean stop (checkpoint) and a start apply them.
                await StopEngineAsync(slot, cancellationToken);
                await EnsureRunningAsync(slot, cancellationToken);
            }
        }
        finally
        {
            gate.Release();
        }
    }

    /// <inheritdoc />
    public async Task PurgeAsync(string tenantId, CancellationToken cancellationToken)
    {
        await _adopted.Task.WaitAsync(cancellationToken);
        var gate = GateOf(CheckTenantId(tenantId));
        await gate.WaitAsync(cancellationToken);
        try
        {
            if ((_slots.GetValueOrDefault(tenantId) ?? await LoadSlotAsync(tenantId, cancellationToken)) is { } slot)
            {
                await StopEngineAsync(slot, cancellationToken);
            }

            // Any engine still holding the directory (one this control plane never knew) goes too.
            foreach (var (pid, _) in EngineProcesses.FindUnder(DataRoot)
                .Where(p => p.Environment[EngineProcesses.DataDirectoryVariable] == DataDirectoryOf(tenantId) && EngineIdentity.RunsBinary(p.Pid, _options.EngineBinary)))
            {
                await TerminateAsync(tenantId, pid, cancellationToken);
            }

            DeleteIfExists(Path.Combine(DataRoot, tenantId));
            File.Delete(KeyFileOf(tenantId));
            File.Delete(Path.ChangeExtension(KeyFileOf(tenantId), ".secret"));
            File.Delete(LogFileOf(tenantId));
            await DeleteRecordAsync(tenantId, cancellationToken);
            _slots.TryRemove(tenantId, out _);
            OrchestratorLog.TenantPurged(_logger, tenantId);
        }
        finally
        {
            gate.Release();
        }
    }

    /// <inheritdoc />
    public EngineRoute? GetRoute(string tenantId) => _routes.GetValueOrDefault(tenantId);

    /// <inheritdoc />
    public IReadOnlyList<EngineRoute> GetRoutes() => [.. _routes.Values];

    /// <summary>Stops supervising. Engines keep running: the next control plane adopts them.</summary>
    public async ValueTask DisposeAsync()
    {
        // The container disposes it twice: as itself and as the IEngineOrchestrator it is registered as.
        if (Interlocked.Exchange(ref _disposed, 1) != 0)
        {
            return;
        }

        await _disposing.CancelAsync();
        try
        {
            await Task.WhenAll(_background.Keys);
        }
        catch (OperationCanceledException)
        {
            // Rounds cut short by the shutdown.
        }

        foreach (var slot in _slots.Values)
        {
            slot.Process?.Dispose(); // Releases the handle only; the process runs on.
        }

        _health.Dispose();
        _keys.Dispose();
        _disposing.Dispose();
    }

    // Tenant ids become file names: only a safe alphabet, so no id can escape the state directory.
    private static string CheckTenantId(string tenantId) =>
        Contracts.Names.NameRules.TenantId.IsValid(tenantId)
            ? tenantId!
            : throw new ArgumentException($"Tenant id '{tenantId}' must be 1-64 letters, digits, '_' or '-'.", nameof(tenantId));

    private SemaphoreSlim GateOf(string tenantId) => _gates.GetOrAdd(tenantId, _ => new SemaphoreSlim(1, 1));

    /// <summary>New data directory, data key (wrapped only) and engine secret, and the engine row.</summary>
    private async Task<EngineSlot> CreateEngineAsync(string tenantId, CancellationToken cancellationToken)
    {
        var dataDirectory = DataDirectoryOf(tenantId);
        Directory.CreateDirectory(dataDirectory);

        // The shared format (Piramid.KeyWrapping) generates the key, wraps it with the platform key and writes
        // datakey.wrapped (temp file, fsync, rename); the row inserted below is its durable copy. A leftover
        // from an interrupted provisioning is reused, not replaced.
        var wrappedDataKey = DataKeyFile.OpenOrCreate(dataDirectory, _keys.PlatformKey);
        var secret = RandomNumberGenerator.GetBytes(PlatformKeyring.SecretLength);
        var wrappedSecret = _keys.WrapSecret(tenantId, secret);
        await InsertRecordAsync(tenantId, dataDirectory, wrappedDataKey, wrappedSecret, cancellationToken);
        return new EngineSlot(tenantId, dataDirectory, wrappedDataKey, secret, _options.RestartBackoffInitial);
    }

    private static void DeleteIfExists(string directory)
    {
        if (Directory.Exists(directory))
        {
            Directory.Delete(directory, recursive: true);
        }
    }
}
