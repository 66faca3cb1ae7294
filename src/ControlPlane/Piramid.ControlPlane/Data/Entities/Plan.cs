namespace Piramid.ControlPlane.Data.Entities;

/// <summary>A plan: the quotas and rate limits a tenant gets.</summary>
public sealed class Plan
{
    /// <summary>Stable id, e.g. <c>free</c>, <c>standard</c>.</summary>
    public required string Id { get; set; }

    /// <summary>Display name.</summary>
    public required string Name { get; set; }

    /// <summary>Most collections.</summary>
    public int MaxCollections { get; set; }

    /// <summary>Most points across the tenant's collections.</summary>
    public long MaxPoints { get; set; }

    /// <summary>Most bytes on disk.</summary>
    public long MaxStorageBytes { get; set; }

    /// <summary>Largest vector dimension.</summary>
    public int MaxDimension { get; set; }

    /// <summary>Sustained reads per second (token bucket refill).</summary>
    public int ReadRatePerSecond { get; set; }

    /// <summary>Read bucket size.</summary>
    public int ReadBurst { get; set; }

    /// <summary>Sustained writes per second.</summary>
    public int WriteRatePerSecond { get; set; }

    /// <summary>Write bucket size.</summary>
    public int WriteBurst { get; set; }

    /// <summary>Read units per calendar month.</summary>
    public long MonthlyReadUnits { get; set; }

    /// <summary>Write units per calendar month.</summary>
    public long MonthlyWriteUnits { get; set; }

    /// <summary>Most requests of one tenant in flight at once at the gateway; beyond it 429.</summary>
    public int MaxRequestsInFlight { get; set; } = PlanDefaults.MaxRequestsInFlight;

    /// <summary>GC heap hard limit of the tenant's engine in bytes (<c>DOTNET_GCHeapHardLimit</c>).</summary>
    public long EngineMemoryBytes { get; set; } = PlanDefaults.EngineMemoryBytes;

    /// <summary>Days the tenant's audit events are kept.</summary>
    public int AuditRetentionDays { get; set; } = PlanDefaults.AuditRetentionDays;

    /// <summary>Hours between scheduled backups; null = no scheduled backups.</summary>
    public int? BackupIntervalHours { get; set; }

    /// <summary>Days a backup is kept before retention deletes it.</summary>
    public int BackupRetentionDays { get; set; } = PlanDefaults.BackupRetentionDays;

    /// <summary>Hours back a point-in-time restore may reach (archived WAL kept that long); 0 = none.</summary>
    public int PitrWindowHours { get; set; }

    /// <summary>Seconds without a data request before the tenant's engine hibernates; null = never.</summary>
    public int? HibernateAfterSeconds { get; set; }

    /// <summary>Last change.</summary>
    public DateTimeOffset UpdatedAt { get; set; }
}
