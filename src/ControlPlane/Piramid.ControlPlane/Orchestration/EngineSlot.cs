using System.Diagnostics;
using Piramid.ControlPlane.Data.Entities;

namespace Piramid.ControlPlane.Orchestration;

/// <summary>
/// What the orchestrator knows about one tenant's engine, in memory. Every field is changed only while the
/// tenant's gate in the orchestrator is held, so a supervision round never races a stop, a purge or another restart.
/// </summary>
internal sealed class EngineSlot(string tenantId, string dataDirectory, byte[] wrappedDataKey, byte[] secret, TimeSpan initialBackoff)
{
    public string TenantId { get; } = tenantId;

    public string DataDirectory { get; } = dataDirectory;

    /// <summary>The data key wrapped by the platform key (the database's copy).</summary>
    public byte[] WrappedDataKey { get; } = wrappedDataKey;

    /// <summary>The clear engine secret (unwrapped once).</summary>
    public byte[] Secret { get; } = secret;

    public EngineLimits Limits { get; set; } = EngineLimits.Unlimited;

    /// <summary>The plan's idle period before hibernation; null = never.</summary>
    public TimeSpan? HibernateAfter { get; set; }

    /// <summary>The last data request the gateway reported, or the last start (whichever is later).</summary>
    public DateTimeOffset LastActivity { get; set; }

    /// <summary>False after a stop (suspend) or a hibernation: the supervisor leaves the engine alone.</summary>
    public bool ShouldRun { get; set; }

    public EngineState State { get; set; } = EngineState.Provisioning;

    public int? Pid { get; set; }

    /// <summary>Start time of <see cref="Pid"/> in clock ticks after boot (/proc/&lt;pid&gt;/stat field 22).</summary>
    public long? ProcessStartTime { get; set; }

    /// <summary>The uid the engine runs as with per-tenant users; null until the first such start.</summary>
    public int? UserId { get; set; }

    /// <summary>The process object when this control plane started it (null for an adopted engine).</summary>
    public Process? Process { get; set; }

    public int? Port { get; set; }

    public Uri? Endpoint { get; set; }

    public DateTimeOffset? StartedAt { get; set; }

    public DateTimeOffset? HealthySince { get; set; }

    public int HealthFailures { get; set; }

    public int RestartCount { get; set; }

    public TimeSpan Backoff { get; set; } = initialBackoff;

    public DateTimeOffset NextRestartAt { get; set; }

    /// <summary>
    /// Set while a hibernating engine still serves its grace (<see cref="LocalOrchestratorOptions.HibernationGrace"/>);
    /// a wake cancels it without the gate, which the hibernation holds meanwhile, so the engine is kept instead of
    /// stopped and started again.
    /// </summary>
    public CancellationTokenSource? HibernationGrace
    {
        get => Volatile.Read(ref _hibernationGrace);
        set => Volatile.Write(ref _hibernationGrace, value);
    }

    /// <summary>Control-plane uses of the engine in progress (<see cref="IEngineOrchestrator.KeepAwake"/>); it does not hibernate meanwhile.</summary>
    public int Holds => Volatile.Read(ref _holds);

    private CancellationTokenSource? _hibernationGrace;
    private int _holds;

    /// <summary>One more use in progress.</summary>
    public void Hold() => Interlocked.Increment(ref _holds);

    /// <summary>One use fewer.</summary>
    public void Release() => Interlocked.Decrement(ref _holds);
}
