namespace Piramid.ControlPlane.Data.Entities;

/// <summary>
/// Placement and state of one tenant's engine. The data key and the engine secret are stored only
/// wrapped by the platform key (AES-256-GCM), never in clear.
/// </summary>
public sealed class EngineRecord
{
    /// <summary>The tenant (one engine per tenant).</summary>
    public required string TenantId { get; set; }

    /// <summary>Base URL, e.g. <c>http://127.0.0.1:41234</c>.</summary>
    public string? Endpoint { get; set; }

    /// <summary>OS process id when local.</summary>
    public int? ProcessId { get; set; }

    /// <summary>
    /// When that process started, in clock ticks after boot (field 22 of /proc/&lt;pid&gt;/stat): with the pid it
    /// names one process, so a restarted control plane never adopts a process that reused the pid.
    /// </summary>
    public long? ProcessStartTime { get; set; }

    /// <summary>The OS uid (and gid) the engine runs as when engines have per-tenant users; unique.</summary>
    public int? OsUserId { get; set; }

    /// <summary>Current state.</summary>
    public EngineState State { get; set; }

    /// <summary>The tenant's data directory.</summary>
    public required string DataDirectory { get; set; }

    /// <summary>The tenant's data key wrapped by the platform key.</summary>
    public required byte[] WrappedDataKey { get; set; }

    /// <summary>The identity-signing secret wrapped by the platform key.</summary>
    public required byte[] WrappedEngineSecret { get; set; }

    /// <summary>Restarts since the last healthy period.</summary>
    public int RestartCount { get; set; }

    /// <summary>Last start.</summary>
    public DateTimeOffset? StartedAt { get; set; }

    /// <summary>Last change.</summary>
    public DateTimeOffset UpdatedAt { get; set; }
}
