namespace Piramid.Contracts.Backups;

/// <summary>Where a restore stops replaying: exactly one of <see cref="Lsn"/> and <see cref="At"/>.</summary>
public sealed class RestoreTarget
{
    /// <summary>Replay every record with LSN at or below this.</summary>
    public long? Lsn { get; set; }

    /// <summary>Replay every record appended at or before this instant (RFC 3339); docs/design/backups.md defines "at".</summary>
    public DateTimeOffset? At { get; set; }
}
