namespace Piramid.Engine.Backups;

/// <summary>
/// Where a restore stops replaying: at an LSN (every record up to it), at an instant (every record appended at or
/// before it; docs/design/backups.md, "What "at T" includes"), or at the end of what was staged.
/// </summary>
public sealed record RestorePoint(long? Lsn, DateTimeOffset? At)
{
    /// <summary>Everything staged.</summary>
    public static RestorePoint End { get; } = new(null, null);

    /// <summary>True when a record with this LSN and append time (Unix ms, 0 unknown) is part of the restore.</summary>
    internal bool Includes(long lsn, long appendedAtMs, string file) =>
        (Lsn is not long max || lsn <= max) && (At is not DateTimeOffset at || AppendedBy(appendedAtMs, at, lsn, file));

    private static bool AppendedBy(long appendedAtMs, DateTimeOffset at, long lsn, string file) =>
        appendedAtMs != 0
            ? DateTimeOffset.FromUnixTimeMilliseconds(appendedAtMs) <= at
            : throw EngineException.Invalid(
                $"'target.at': record {lsn} in '{file}' was written before the log kept append times; restore to an LSN instead.");
}

/// <summary>One restored collection.</summary>
/// <param name="Name">Its name now.</param>
/// <param name="Lsn">Last LSN replayed.</param>
/// <param name="Points">Points it holds.</param>
public sealed record RestoredCollectionInfo(string Name, long Lsn, long Points);
