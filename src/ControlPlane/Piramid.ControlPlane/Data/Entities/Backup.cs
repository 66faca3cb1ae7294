namespace Piramid.ControlPlane.Data.Entities;

/// <summary>
/// One backup of a tenant: an engine snapshot copied to the backup store under
/// <c>tenants/{tenant}/backups/{id}/</c>, complete only once its <c>manifest.json</c> is written last.
/// </summary>
public sealed class Backup
{
    /// <summary><c>bk_</c> + 32 hex.</summary>
    public required string Id { get; set; }

    /// <summary>The tenant.</summary>
    public required string TenantId { get; set; }

    /// <summary>The operation that makes it.</summary>
    public required string OperationId { get; set; }

    /// <summary><c>pending</c>, <c>running</c>, <c>completed</c> or <c>failed</c> (Backups/BackupStates.cs).</summary>
    public required string State { get; set; }

    /// <summary>True when the plan's schedule asked for it, false when a person or machine did.</summary>
    public bool Scheduled { get; set; }

    /// <summary>The collections asked for (JSON array of names); null = all.</summary>
    public string? RequestedCollections { get; set; }

    /// <summary>What it holds (JSON: name, collection id, LSN, files, bytes), once completed.</summary>
    public string? Collections { get; set; }

    /// <summary>The highest collection LSN it holds.</summary>
    public long? Lsn { get; set; }

    /// <summary>Bytes of every object, manifest included.</summary>
    public long SizeBytes { get; set; }

    /// <summary>SHA-256 (hex) of its manifest.json, which names every file's SHA-256.</summary>
    public string? Sha256 { get; set; }

    /// <summary>When it was asked for.</summary>
    public DateTimeOffset CreatedAt { get; set; }

    /// <summary>When the engine took the snapshot: the backup's point in time.</summary>
    public DateTimeOffset? SnapshotAt { get; set; }

    /// <summary>When the manifest was written.</summary>
    public DateTimeOffset? CompletedAt { get; set; }
}
