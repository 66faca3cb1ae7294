namespace Piramid.Engine.Storage;

/// <summary>Sealed segments: what snapshots link and log archiving streams (docs/design/backups.md).</summary>
public sealed partial class WriteAheadLog
{
    /// <summary>
    /// Closes the current segment (written and fsynced) so every record appended so far is in a sealed file, and
    /// returns the last LSN the sealed segments hold. Appends go on meanwhile; they land in the next segment.
    /// </summary>
    public long Seal()
    {
        ObjectDisposedException.ThrowIf(_disposed != 0, this);
        lock (_ioLock)
        {
            RotateLocked();
            ThrowIfFailed();
            lock (_stateLock)
            {
                return _current.FirstLsn - 1;
            }
        }
    }

    /// <summary>The sealed segments on disk, oldest first.</summary>
    public IReadOnlyList<SealedSegmentInfo> SealedSegments()
    {
        lock (_ioLock)
        {
            return [.. _closed.Select(s => new SealedSegmentInfo(s.Path, s.FirstLsn, s.LastLsn, s.Bytes, s.FirstTimeMs, s.LastTimeMs))];
        }
    }
}

/// <summary>A sealed WAL segment: never appended to again.</summary>
/// <param name="Path">Its file.</param>
/// <param name="FirstLsn">First record's LSN.</param>
/// <param name="LastLsn">Last record's LSN.</param>
/// <param name="Bytes">File size.</param>
/// <param name="FirstTimeMs">First record's append time, Unix ms (0: unknown, written before append times existed).</param>
/// <param name="LastTimeMs">Last record's append time, Unix ms (0: unknown).</param>
public sealed record SealedSegmentInfo(string Path, long FirstLsn, long LastLsn, long Bytes, long FirstTimeMs, long LastTimeMs);
