namespace Piramid.Contracts.Backups;

/// <summary>A tenant's backups, newest first.</summary>
public sealed class BackupList
{
    /// <summary>The backups.</summary>
    public required IReadOnlyList<BackupInfo> Backups { get; set; }
}
