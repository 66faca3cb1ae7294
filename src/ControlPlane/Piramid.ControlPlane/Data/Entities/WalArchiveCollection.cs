namespace Piramid.ControlPlane.Data.Entities;

/// <summary>
/// One collection id of a tenant as the log archive knows it: when it came into being and stopped existing, and its
/// origin (settings file and starting checkpoint) copied to the store under <c>tenants/{tenant}/wal/{collection_id}/</c>,
/// so a point-in-time restore can rebuild a collection no backup holds (docs/design/backups.md).
/// </summary>
public sealed class WalArchiveCollection
{
    /// <summary>The tenant.</summary>
    public required string TenantId { get; set; }

    /// <summary>The collection's id (16 hex); an in-place restore gives the restored collection a new one.</summary>
    public required string CollectionId { get; set; }

    /// <summary>Its name.</summary>
    public required string Collection { get; set; }

    /// <summary>Since when it exists: its creation, or for a restored collection the restore's switch.</summary>
    public DateTimeOffset ExistsFrom { get; set; }

    /// <summary>When it was deleted or replaced by a restore; null while it exists.</summary>
    public DateTimeOffset? DroppedAt { get; set; }

    /// <summary>SHA-256 of the archived <c>manifest.bin</c>; null until archived.</summary>
    public string? ManifestSha256 { get; set; }

    /// <summary>Bytes of the archived <c>manifest.bin</c>.</summary>
    public long ManifestSize { get; set; }

    /// <summary>File name of the archived starting checkpoint; null when its log starts at LSN 1 with no checkpoint before.</summary>
    public string? CheckpointFile { get; set; }

    /// <summary>LSN the archived origin is at: the checkpoint's, or 0. Archived segments continue after it.</summary>
    public long OriginLsn { get; set; }

    /// <summary>
    /// When the origin was copied (its snapshot's time); null until archived. Its checkpoint holds every record up to
    /// <see cref="OriginLsn"/>, appended at the latest then, so a restore that needs the checkpoint reaches no earlier time.
    /// </summary>
    public DateTimeOffset? OriginAt { get; set; }

    /// <summary>SHA-256 of the archived checkpoint.</summary>
    public string? CheckpointSha256 { get; set; }

    /// <summary>Bytes of the archived checkpoint.</summary>
    public long CheckpointSize { get; set; }
}
