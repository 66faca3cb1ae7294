namespace Piramid.Contracts.Backups;

/// <summary>Body of the engine's internal <c>POST /internal/v1/snapshots</c>.</summary>
/// <example>{"collections": ["docs"]}</example>
public sealed class SnapshotRequest
{
    /// <summary>Collection names to include; absent (or null) = every collection.</summary>
    public IReadOnlyList<string>? Collections { get; set; }
}
