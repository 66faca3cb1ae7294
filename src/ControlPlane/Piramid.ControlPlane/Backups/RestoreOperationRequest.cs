namespace Piramid.ControlPlane.Backups;

/// <summary>The input of a restore operation, resolved when it was asked for.</summary>
/// <param name="BackupId">The backup to start from (the newest before the target).</param>
/// <param name="At">Replay the archived log up to this instant, or null.</param>
/// <param name="Lsn">Replay the archived log up to this LSN, or null.</param>
/// <param name="Collections">Collections to restore; null = every collection of the backup.</param>
/// <param name="Rename">Old name to new name, or null for in place.</param>
public sealed record RestoreOperationRequest(
    string BackupId, DateTimeOffset? At, long? Lsn, IReadOnlyList<string>? Collections, IReadOnlyDictionary<string, string>? Rename);
