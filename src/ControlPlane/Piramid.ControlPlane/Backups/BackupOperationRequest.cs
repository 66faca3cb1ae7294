namespace Piramid.ControlPlane.Backups;

/// <summary>The input of a backup operation: the row it fills.</summary>
/// <param name="BackupId">The backup.</param>
public sealed record BackupOperationRequest(string BackupId);
