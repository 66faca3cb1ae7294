using System.ComponentModel.DataAnnotations;

namespace Piramid.DataPlane.Hosting;

/// <summary>
/// Configuration of one engine process, bound from the <c>Engine</c> section (environment variables
/// <c>Engine__DataDirectory</c> etc., or <c>--Engine:DataDirectory=...</c>). Keys are named in every error.
/// </summary>
public sealed class EngineHostOptions
{
    /// <summary>Configuration section.</summary>
    public const string Section = "Engine";

    /// <summary>The tenant's data directory.</summary>
    [Required]
    public string DataDirectory { get; set; } = string.Empty;

    /// <summary>The tenant this engine serves; requests signed for another tenant are refused.</summary>
    [Required]
    public string TenantId { get; set; } = string.Empty;

    /// <summary>
    /// The owner-only file the control plane writes before every start: the tenant id, the data key
    /// (already unwrapped: the engine never holds the platform key) and the engine secret.
    /// Format: <see cref="Piramid.KeyWrapping.EngineKeyFile"/>, docs/design/encryption.md.
    /// </summary>
    [Required]
    public string KeyFile { get; set; } = string.Empty;

    /// <summary>Durability policy: always, batch[:window], interval[:period] or none.</summary>
    public string Durability { get; set; } = "batch";

    /// <summary>WAL segment size in bytes.</summary>
    [Range(1024 * 1024, long.MaxValue)]
    public long WalSegmentBytes { get; set; } = 64L * 1024 * 1024;

    /// <summary>Seconds between background maintenance rounds.</summary>
    [Range(0.05, 3600)]
    public double MaintenanceIntervalSeconds { get; set; } = 1;

    /// <summary>Largest accepted clock difference for a signed identity, in seconds.</summary>
    [Range(1, 300)]
    public int MaxIdentityAgeSeconds { get; set; } = 30;

    /// <summary>Hours an idempotent write's answer is replayed for a retry with its <c>Idempotency-Key</c> (docs/API.md, "Limits").</summary>
    [Range(0.001, 24 * 30)]
    public double IdempotencyRetentionHours { get; set; } = 24;

    /// <summary>Most <c>Idempotency-Key</c>s the engine remembers across its collections; the oldest are dropped first.</summary>
    [Range(1, 10_000_000)]
    public int IdempotencyMaxKeys { get; set; } = 100_000;

    /// <summary>Seconds of point-in-time recovery the plan promises: sealed WAL segments this young are kept until archived (0: none).</summary>
    [Range(0, 366L * 24 * 3600)]
    public long RecoveryWindowSeconds { get; set; }

    /// <summary>With a recovery window, seconds after which a log's oldest unsealed record is sealed for archiving (the archive lag bound).</summary>
    [Range(0.1, 3600)]
    public double WalSealIntervalSeconds { get; set; } = 5;

    /// <summary>Most bytes of unarchived sealed WAL segments a collection keeps for the recovery window; older ones are pruned and reported.</summary>
    [Range(1024 * 1024, long.MaxValue)]
    public long UnarchivedWalLimitBytes { get; set; } = 4L * 1024 * 1024 * 1024;

    /// <summary>Seconds after which a snapshot its caller did not release is released.</summary>
    [Range(1, 7 * 24 * 3600)]
    public int SnapshotLifetimeSeconds { get; set; } = 3600;

    /// <summary>Most points of a graph-indexed collection acknowledged but not yet linked; writes wait beyond it (docs/design/ingest.md).</summary>
    [Range(1, 10_000_000)]
    public int MaxUnlinkedPoints { get; set; } = 100_000;

    /// <summary>Background link workers per collection; 0 means one per core but one (at least one).</summary>
    [Range(0, 256)]
    public int LinkWorkers { get; set; }

    /// <summary>Plan limit: collections.</summary>
    public int? MaxCollections { get; set; }

    /// <summary>Plan limit: points across all collections.</summary>
    public long? MaxPoints { get; set; }

    /// <summary>Plan limit: vector dimension.</summary>
    public int? MaxDimension { get; set; }

    /// <summary>Plan limit: bytes on disk.</summary>
    public long? MaxStorageBytes { get; set; }
}
