namespace Piramid.Contracts.Backups;

/// <summary>A tenant's backups, newest first.</summary>
public sealed class BackupList
{
    /// <summary>The backups.</summary>
    public required IReadOnlyList<BackupInfo> Backups { get; set; }

    /// <summary>The log archive behind point-in-time recovery: window, lag and last archived time.</summary>
    public BackupArchiveStatus? Archive { get; set; }
}
