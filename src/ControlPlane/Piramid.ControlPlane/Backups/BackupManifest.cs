using Piramid.Contracts.Backups;

namespace Piramid.ControlPlane.Backups;

/// <summary>
/// <c>manifest.json</c> of a backup, written after every file: what the backup holds and each file's size and
/// SHA-256. The database row holds its SHA-256, so a restore trusts the manifest only when that hash matches.
/// </summary>
/// <param name="Format">Format version (1).</param>
/// <param name="BackupId">The backup.</param>
/// <param name="TenantId">The tenant.</param>
/// <param name="SnapshotId">The engine's snapshot it was copied from.</param>
/// <param name="SnapshotAt">When the engine took it.</param>
/// <param name="Collections">Collections, their LSNs and files.</param>
/// <param name="Files">Tenant-level files (the wrapped data key).</param>
public sealed record BackupManifest(
    int Format,
    string BackupId,
    string TenantId,
    string SnapshotId,
    DateTimeOffset SnapshotAt,
    IReadOnlyList<SnapshotCollection> Collections,
    IReadOnlyList<SnapshotFile> Files);
