using Piramid.Contracts;
using Piramid.Engine.Storage;

namespace Piramid.Engine;

/// <summary>How one engine (one tenant) stores its data. Bound from configuration by the host.</summary>
public sealed class EngineOptions
{
    /// <summary>The tenant's data directory; one engine at a time may open it.</summary>
    public required string DataDirectory { get; init; }

    /// <summary>When an acknowledged write is durable.</summary>
    public DurabilityPolicy Durability { get; init; } = DurabilityPolicy.Default;

    /// <summary>WAL segment size before rotation.</summary>
    public long WalSegmentBytes { get; init; } = 64L * 1024 * 1024;

    /// <summary>A collection is checkpointed when its log has grown by this much since the last checkpoint.</summary>
    public long CheckpointAfterWalBytes { get; init; } = 128L * 1024 * 1024;

    /// <summary>How often the background loop looks for collections to checkpoint and failed logs to revive.</summary>
    public TimeSpan MaintenanceInterval { get; init; } = TimeSpan.FromSeconds(1);

    /// <summary>A collection with unsaved writes is checkpointed at least this often.</summary>
    public TimeSpan CheckpointInterval { get; init; } = TimeSpan.FromMinutes(5);

    /// <summary>Largest metadata of one point, in serialized bytes.</summary>
    public int MaxMetadataBytes { get; init; } = Limits.MaxMetadataBytes;

    /// <summary>Largest magnitude of a vector value accepted in a write or a query (docs/API.md, "Limits").</summary>
    public float MaxVectorValue { get; init; } = Limits.MaxVectorValue;

    /// <summary>
    /// Most points of one graph-indexed collection acknowledged but not yet linked into its graph; a write waits (it is
    /// not refused) while a collection holds this many (docs/design/ingest.md). Searches scan these points exactly.
    /// </summary>
    public int MaxUnlinkedPoints { get; init; } = 100_000;

    /// <summary>Background link workers per collection; 0 means one per core but one (at least one), at a lower priority than requests.</summary>
    public int LinkWorkers { get; init; }

    /// <summary>Plan limits pushed by the control plane; unlimited when null.</summary>
    public EngineQuotas Quotas { get; init; } = new();

    /// <summary>How long an idempotent write's result is replayed for a retry with its key (docs/API.md, "Limits").</summary>
    public TimeSpan IdempotencyRetention { get; init; } = TimeSpan.FromHours(24);

    /// <summary>Most idempotency keys remembered by the engine, across its collections; the oldest are dropped first.</summary>
    public int IdempotencyMaxKeys { get; init; } = 100_000;

    /// <summary>
    /// Point-in-time recovery window of the plan: sealed WAL segments younger than this are kept until the control
    /// plane acknowledges them as archived (zero: none are kept for archiving).
    /// </summary>
    public TimeSpan RecoveryWindow { get; init; } = TimeSpan.Zero;

    /// <summary>With a <see cref="RecoveryWindow"/>, a log whose oldest unsealed record is this old is sealed, bounding the archive lag.</summary>
    public TimeSpan WalSealInterval { get; init; } = TimeSpan.FromSeconds(5);

    /// <summary>Most bytes of unarchived sealed segments a collection keeps for <see cref="RecoveryWindow"/>; older ones are pruned, and reported.</summary>
    public long UnarchivedWalLimitBytes { get; init; } = 4L * 1024 * 1024 * 1024;

    /// <summary>A snapshot not released by its caller is released after this long.</summary>
    public TimeSpan SnapshotLifetime { get; init; } = TimeSpan.FromHours(1);

    /// <summary>
    /// Test seam only (<c>PIRAMID_TEST_RESTORE_ABORT_AT</c> in the engine process): the restore step at which the
    /// process kills itself, to prove a restore killed at that step leaves the previous data serving. Null in production.
    /// </summary>
    public string? RestoreAbortStep { get; init; }

    /// <summary>Clock for the audit log and checkpoint scheduling.</summary>
    public TimeProvider Time { get; init; } = TimeProvider.System;

    /// <summary>
    /// Benchmarks only (the <c>load</c> mode): collects the time of each stage of <see cref="VectorEngine"/>'s open,
    /// summed over collections. Null in the engine process, where each stage then costs one null check.
    /// </summary>
    internal Collections.CheckpointLoadProfile? OpenProfile { get; init; }
}
