namespace Piramid.Contracts.Admin;

/// <summary>A plan: quotas and rate limits (also the body of <c>PUT /v1/plans/{id}</c>).</summary>
/// <example>{"name": "Pro", "max_collections": 100, "max_points": 10000000, "max_storage_bytes": 107374182400, "max_dimension": 4096, "read_rate_per_second": 500, "read_burst": 1000, "write_rate_per_second": 100, "write_burst": 200, "monthly_read_units": 100000000, "monthly_write_units": 10000000, "backup_interval_hours": 24, "backup_retention_days": 7, "pitr_window_hours": 24, "hibernate_after_seconds": 900}</example>
public sealed class PlanInfo
{
    /// <summary>Id (ignored in a PUT body: the path names it).</summary>
    public string? Id { get; set; }

    /// <summary>Display name.</summary>
    public string? Name { get; set; }

    /// <summary>Most collections.</summary>
    public int? MaxCollections { get; set; }

    /// <summary>Most points.</summary>
    public long? MaxPoints { get; set; }

    /// <summary>Most bytes on disk.</summary>
    public long? MaxStorageBytes { get; set; }

    /// <summary>Largest dimension.</summary>
    public int? MaxDimension { get; set; }

    /// <summary>Reads per second.</summary>
    public int? ReadRatePerSecond { get; set; }

    /// <summary>Read burst.</summary>
    public int? ReadBurst { get; set; }

    /// <summary>Writes per second.</summary>
    public int? WriteRatePerSecond { get; set; }

    /// <summary>Write burst.</summary>
    public int? WriteBurst { get; set; }

    /// <summary>Read units per month.</summary>
    public long? MonthlyReadUnits { get; set; }

    /// <summary>Write units per month.</summary>
    public long? MonthlyWriteUnits { get; set; }

    /// <summary>Requests of the tenant in flight at once at the gateway; beyond it 429 (default 64).</summary>
    public int? MaxRequestsInFlight { get; set; }

    /// <summary>GC heap limit of the tenant's engine in bytes (default 2 GiB, at least 32 MiB).</summary>
    public long? EngineMemoryBytes { get; set; }

    /// <summary>Days the tenant's audit events are kept (default 365).</summary>
    public int? AuditRetentionDays { get; set; }

    /// <summary>Hours between scheduled backups; null = none (in a PUT: absent keeps it, 0 turns the schedule off).</summary>
    public int? BackupIntervalHours { get; set; }

    /// <summary>Days a backup is kept (default 7).</summary>
    public int? BackupRetentionDays { get; set; }

    /// <summary>Hours back a point-in-time restore may reach; 0 = no point-in-time recovery (default 0).</summary>
    public int? PitrWindowHours { get; set; }

    /// <summary>
    /// Seconds without a data request after which the tenant's engine hibernates (checkpoints and stops; its first
    /// request wakes it); null = never (in a PUT: absent keeps it, 0 turns hibernation off). At least the control
    /// plane's <c>Orchestrator:MinHibernateAfter</c> (60 s by default): a shorter idle period stops busy engines between
    /// two of the gateway's activity reports.
    /// </summary>
    public int? HibernateAfterSeconds { get; set; }
}
