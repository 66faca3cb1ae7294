namespace Piramid.Contracts.Backups;

/// <summary>Answer of <c>POST /internal/v1/snapshots</c> (201): what a snapshot holds.</summary>
/// <param name="SnapshotId">Id for the file and release routes.</param>
/// <param name="CreatedAt">When it was taken (engine clock).</param>
/// <param name="Collections">Collections and their files.</param>
/// <param name="Files">Tenant-level files (the wrapped data key).</param>
public sealed record SnapshotManifest(
    string SnapshotId, DateTimeOffset CreatedAt, IReadOnlyList<SnapshotCollection> Collections, IReadOnlyList<SnapshotFile> Files);
