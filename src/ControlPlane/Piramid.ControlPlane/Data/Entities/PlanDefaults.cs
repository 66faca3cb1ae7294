namespace Piramid.ControlPlane.Data.Entities;

/// <summary>
/// Values of the plan fields added after the first plans: what a plan gets when it does not set them, and what
/// existing plans got in the migration that added them (the options they replace had these defaults).
/// </summary>
public static class PlanDefaults
{
    /// <summary>Requests in flight per tenant (was <c>Gateway:MaxConcurrentRequestsPerTenant</c>).</summary>
    public const int MaxRequestsInFlight = 64;

    /// <summary>Engine GC heap, 2 GiB (was <c>Orchestrator:EngineMemoryLimitBytes</c>).</summary>
    public const long EngineMemoryBytes = 2L * 1024 * 1024 * 1024;

    /// <summary>Audit retention in days (was <c>Retention:AuditRetention</c>).</summary>
    public const int AuditRetentionDays = 365;

    /// <summary>Smallest engine heap: an engine needs about this much to start.</summary>
    public const long MinEngineMemoryBytes = 32L * 1024 * 1024;

    /// <summary>Largest in-flight limit: each request in flight holds a connection and buffers at the gateway.</summary>
    public const int MaxMaxRequestsInFlight = 10_000;

    /// <summary>Longest audit retention, 100 years.</summary>
    public const int MaxAuditRetentionDays = 36_500;

    /// <summary>Backup retention in days.</summary>
    public const int BackupRetentionDays = 7;

    /// <summary>Longest backup interval, one year.</summary>
    public const int MaxBackupIntervalHours = 8_760;

    /// <summary>Longest backup retention, 10 years.</summary>
    public const int MaxBackupRetentionDays = 3_650;

    /// <summary>Longest point-in-time window, 90 days.</summary>
    public const int MaxPitrWindowHours = 2_160;

    /// <summary>Longest idle period before hibernation, 30 days.</summary>
    public const int MaxHibernateAfterSeconds = 2_592_000;
}
