namespace Piramid.ControlPlane.Data.Entities;

/// <summary>
/// One sealed WAL segment of a tenant's collection copied to the backup store at
/// <c>tenants/{tenant}/wal/{collection_id}/{file}</c>: what point-in-time recovery replays after a backup.
/// </summary>
public sealed class WalArchiveSegment
{
    /// <summary>The tenant.</summary>
    public required string TenantId { get; set; }

    /// <summary>The collection's id (16 hex).</summary>
    public required string CollectionId { get; set; }

    /// <summary>The segment's file name.</summary>
    public required string File { get; set; }

    /// <summary>The collection's name when the segment was sealed.</summary>
    public required string Collection { get; set; }

    /// <summary>First LSN in it.</summary>
    public long FirstLsn { get; set; }

    /// <summary>Last LSN in it.</summary>
    public long LastLsn { get; set; }

    /// <summary>Append time of its first record.</summary>
    public DateTimeOffset FirstTime { get; set; }

    /// <summary>Append time of its last record.</summary>
    public DateTimeOffset LastTime { get; set; }

    /// <summary>Bytes.</summary>
    public long Size { get; set; }

    /// <summary>SHA-256 (hex).</summary>
    public required string Sha256 { get; set; }

    /// <summary>When it was stored.</summary>
    public DateTimeOffset ArchivedAt { get; set; }
}
