namespace Piramid.Contracts.Backups;

/// <summary>Paths of the engine's internal backup API (docs/design/backups.md), called by the control plane only.</summary>
public static class InternalBackupRoutes
{
    /// <summary><c>POST</c>: take a snapshot.</summary>
    public const string Snapshots = "/internal/v1/snapshots";

    /// <summary>Header carrying the SHA-256 (lowercase hex) of an uploaded restore file.</summary>
    public const string Sha256Header = "X-Piramid-Sha256";

    /// <summary><c>GET</c>: sealed WAL segments (query <c>after</c>, <c>limit</c>).</summary>
    public const string SealedSegments = "/internal/v1/wal/sealed";

    /// <summary><c>POST</c>: acknowledge archived segments.</summary>
    public const string Archived = "/internal/v1/wal/archived";

    /// <summary><c>GET</c>: per-collection archive state.</summary>
    public const string ArchiveStatus = "/internal/v1/wal/archive-status";

    /// <summary><c>POST</c>: open a staging area.</summary>
    public const string Restores = "/internal/v1/restores";

    /// <summary><c>GET</c>: one snapshot file.</summary>
    public static string SnapshotFile(string snapshotId, string path) => $"{Snapshots}/{snapshotId}/files/{path}";

    /// <summary><c>DELETE</c>: release a snapshot.</summary>
    public static string Snapshot(string snapshotId) => $"{Snapshots}/{snapshotId}";

    /// <summary><c>GET</c>: one sealed segment.</summary>
    public static string Segment(string collectionId, string file) => $"/internal/v1/wal/segments/{collectionId}/{file}";

    /// <summary><c>PUT</c>: upload one staged file (header <see cref="Sha256Header"/>).</summary>
    public static string RestoreFile(string restoreId, string path) => $"{Restores}/{restoreId}/files/{path}";

    /// <summary><c>POST</c>: apply a staging area.</summary>
    public static string Apply(string restoreId) => $"{Restores}/{restoreId}/apply";

    /// <summary><c>DELETE</c>: discard a staging area.</summary>
    public static string Restore(string restoreId) => $"{Restores}/{restoreId}";
}
