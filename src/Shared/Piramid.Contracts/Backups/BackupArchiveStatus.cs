namespace Piramid.Contracts.Backups;

/// <summary>
/// Where the tenant's log archive stands, as the last archiving pass measured it: how far point-in-time recovery
/// can reach right now. All measured fields are null while the plan has no recovery window or before the first pass.
/// </summary>
public sealed class BackupArchiveStatus
{
    /// <summary>The plan's recovery window in hours (0: no point-in-time recovery, nothing is archived).</summary>
    public int RecoveryWindowHours { get; set; }

    /// <summary>
    /// Seconds of log the engine has sealed but the store does not hold yet: the append time of the newest sealed
    /// record minus that of the newest archived one (0 when everything sealed is archived).
    /// </summary>
    public double? WalArchiveLagSeconds { get; set; }

    /// <summary>Bytes of sealed log not archived yet.</summary>
    public long? UnarchivedBytes { get; set; }

    /// <summary>When a log segment of the tenant was last stored in the archive.</summary>
    public DateTimeOffset? LastArchivedAt { get; set; }

    /// <summary>Append time of the newest archived record: a point in time up to here can be restored from the store.</summary>
    public DateTimeOffset? ArchivedThrough { get; set; }

    /// <summary>When the lag was measured (the archiver runs every <c>Backups:ArchiveInterval</c>).</summary>
    public DateTimeOffset? MeasuredAt { get; set; }
}
