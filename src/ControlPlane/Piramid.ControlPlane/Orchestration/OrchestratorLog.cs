using Microsoft.Extensions.Logging;

namespace Piramid.ControlPlane.Orchestration;

/// <summary>The orchestrator's log events (source-generated).</summary>
internal static partial class OrchestratorLog
{
    [LoggerMessage(1, LogLevel.Information, "Engine of tenant {TenantId} started: pid {Pid} on {Endpoint}, ready in {ElapsedMs} ms")]
    public static partial void EngineReady(ILogger logger, string tenantId, int pid, Uri endpoint, long elapsedMs);

    [LoggerMessage(2, LogLevel.Warning, "Engine of tenant {TenantId} (pid {Pid}) is down: {Reason}; restart in {DelayMs} ms (restart {RestartCount})")]
    public static partial void EngineCrashed(ILogger logger, string tenantId, int? pid, string reason, long delayMs, int restartCount);

    [LoggerMessage(3, LogLevel.Information, "Adopted the running engine of tenant {TenantId}: pid {Pid} on {Endpoint}")]
    public static partial void EngineAdopted(ILogger logger, string tenantId, int pid, Uri endpoint);

    [LoggerMessage(4, LogLevel.Information, "Engine of tenant {TenantId} (pid {Pid}) stopped")]
    public static partial void EngineStopped(ILogger logger, string tenantId, int pid);

    [LoggerMessage(5, LogLevel.Warning, "Engine of tenant {TenantId} (pid {Pid}) ignored SIGTERM for {TimeoutMs} ms; sent SIGKILL")]
    public static partial void EngineKilled(ILogger logger, string tenantId, int pid, long timeoutMs);

    [LoggerMessage(6, LogLevel.Warning, "Stopping engine pid {Pid} for {DataDirectory}: no engine record wants it (orphan or duplicate)")]
    public static partial void OrphanStopped(ILogger logger, int pid, string dataDirectory);

    [LoggerMessage(7, LogLevel.Information, "Tenant {TenantId} purged: engine stopped, data directory, secret and record deleted")]
    public static partial void TenantPurged(ILogger logger, string tenantId);

    [LoggerMessage(8, LogLevel.Error, "Supervision of tenant {TenantId} failed; retrying next round")]
    public static partial void SupervisionFailed(ILogger logger, string tenantId, Exception exception);

    [LoggerMessage(9, LogLevel.Information, "Adoption done: {Adopted} engines adopted, {ToStart} to start, {Orphans} orphans stopped")]
    public static partial void AdoptionDone(ILogger logger, int adopted, int toStart, int orphans);

    [LoggerMessage(10, LogLevel.Warning, "Not adopting pid {Pid} for tenant {TenantId}: {Reason}")]
    public static partial void AdoptionRefused(ILogger logger, string tenantId, int pid, string reason);

    [LoggerMessage(11, LogLevel.Warning, "Ignoring pid {Pid}, which names {DataDirectory} but runs {Executable}, not the engine: neither adopted nor signalled")]
    public static partial void ImpostorIgnored(ILogger logger, int pid, string dataDirectory, string? executable);

    [LoggerMessage(12, LogLevel.Information, "Engine of tenant {TenantId} hibernates: no data request for {IdleSeconds} s")]
    public static partial void EngineHibernating(ILogger logger, string tenantId, long idleSeconds);

    [LoggerMessage(13, LogLevel.Information, "Engine of tenant {TenantId} woke in {ElapsedMs} ms")]
    public static partial void EngineWoke(ILogger logger, string tenantId, long elapsedMs);

    [LoggerMessage(14, LogLevel.Information, "Engine of tenant {TenantId} woken within its hibernation's grace: kept running")]
    public static partial void HibernationCancelled(ILogger logger, string tenantId);

    [LoggerMessage(15, LogLevel.Warning, "Engine of tenant {TenantId}: {Endpoint} answered ready without the tenant's secret, so another process holds the port; the engine is restarted on another")]
    public static partial void PortTakenByAnother(ILogger logger, string tenantId, Uri endpoint);
}
