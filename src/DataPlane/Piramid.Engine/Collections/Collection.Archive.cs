using Piramid.Engine.Storage;

namespace Piramid.Engine.Collections;

/// <summary>
/// Log archiving: which sealed segments the control plane has safely archived, and which ones a checkpoint may not
/// prune yet because point-in-time recovery within <see cref="EngineOptions.RecoveryWindow"/> needs them
/// (docs/design/backups.md, "Log archiving").
/// </summary>
public sealed partial class Collection
{
    private long _archivedThroughLsn;
    private long _droppedUnarchivedThroughLsn;
    private DateTimeOffset? _settingsWrittenAt;

    /// <summary>Highest LSN acknowledged as archived since the engine started (0: none).</summary>
    public long ArchivedThroughLsn => Interlocked.Read(ref _archivedThroughLsn);

    /// <summary>Highest LSN pruned before it was archived because of <see cref="EngineOptions.UnarchivedWalLimitBytes"/> (0: none).</summary>
    public long DroppedUnarchivedThroughLsn => Interlocked.Read(ref _droppedUnarchivedThroughLsn);

    /// <summary>Last appended LSN.</summary>
    public long LastLsn => _wal?.LastLsn ?? 0;

    /// <summary>
    /// SHA-256 and write time of the settings file as it is now, so the archiver notices a PATCH (settings live in the
    /// manifest, not in the log) and archives the new version with the time it took effect. Null while closed or unreadable.
    /// </summary>
    internal (string Sha256, DateTimeOffset WrittenAt)? SettingsVersion()
    {
        lock (_fileSetLock)
        {
            var path = Path.Combine(Directory, CollectionManifest.FileName);
            try
            {
                // UpdateSettings renames the new file in under this lock: bytes and time are of one version.
                // The time a PATCH recorded (exact, from the engine's clock); after a restart the file's own write time.
                var bytes = File.ReadAllBytes(path);
                return (Convert.ToHexStringLower(System.Security.Cryptography.SHA256.HashData(bytes)), _settingsWrittenAt ?? File.GetLastWriteTimeUtc(path));
            }
            catch (IOException)
            {
                return null;
            }
        }
    }

    /// <summary>The sealed segments on disk, oldest first (empty while the collection is closed).</summary>
    public IReadOnlyList<SealedSegmentInfo> SealedSegments() => _wal is { } wal && !_closed ? wal.SealedSegments() : [];

    /// <summary>
    /// Seals the log when its oldest unsealed record was appended at or before <paramref name="cutoff"/>, so archiving
    /// never lags a quiet collection by more than <see cref="EngineOptions.WalSealInterval"/>. True when it sealed.
    /// </summary>
    internal bool SealIfOlderThan(DateTimeOffset cutoff)
    {
        var wal = _wal;
        if (wal is null || _closed || FailureReason is not null || wal.IsFailed)
        {
            return false;
        }

        var since = wal.UnsealedSinceMs;
        if (since == 0 || DateTimeOffset.FromUnixTimeMilliseconds(since) > cutoff)
        {
            return false;
        }

        lock (_fileSetLock)
        {
            try
            {
                wal.Seal();
                return true;
            }
            catch (StorageFailedException e)
            {
                _health.MarkFailed(e.Message);
                return false;
            }
        }
    }

    /// <summary>
    /// Closes the collection for good (a delete, or a restore replacing it) and returns its sealed segments not yet
    /// archived, the log appended so far sealed into them, so the engine can hold them for the archiver. Empty when
    /// already closed. Sealing after the close means no write can land after the last held segment.
    /// </summary>
    internal IReadOnlyList<SealedSegmentInfo> CloseKeepingUnarchived()
    {
        if (Close() is not { } wal)
        {
            return [];
        }

        lock (_fileSetLock)
        {
            try
            {
                wal.Seal();
            }
            catch (StorageFailedException)
            {
                // What could not be made durable was never acknowledged; the sealed segments are still held.
            }
        }

        var archived = ArchivedThroughLsn;
        var unarchived = wal.SealedSegments().Where(s => s.LastLsn > archived).ToList();
        FlushAndClose(wal.DisposeAsync().AsTask()).GetAwaiter().GetResult();
        return unarchived;
    }

    /// <summary>Records that every record up to <paramref name="throughLsn"/> is archived; never moves back.</summary>
    public void MarkArchived(long throughLsn)
    {
        long current;
        do
        {
            current = Interlocked.Read(ref _archivedThroughLsn);
            if (throughLsn <= current)
            {
                return;
            }
        }
        while (Interlocked.CompareExchange(ref _archivedThroughLsn, throughLsn, current) != current);
    }

    // The LSN through which a checkpoint may delete segments: the previous checkpoint's, except that with a recovery
    // window the oldest segment not yet archived and young enough to matter stops the pruning, unless the kept
    // unarchived bytes pass the limit (then the oldest go anyway, and the loss is reported).
    private long RemovableThrough(WriteAheadLog wal, long checkpointFloor, DateTimeOffset now)
    {
        if (_options.RecoveryWindow <= TimeSpan.Zero)
        {
            return checkpointFloor;
        }

        var archived = ArchivedThroughLsn;
        var oldestWanted = now - _options.RecoveryWindow;
        var candidates = wal.SealedSegments().Where(s => s.LastLsn <= checkpointFloor).ToList();
        var removable = 0L;
        var firstKept = candidates.Count;
        for (var i = 0; i < candidates.Count; i++)
        {
            var s = candidates[i];
            var wanted = s.LastLsn > archived && (s.LastTimeMs == 0 || WalTime.ToInstant(s.LastTimeMs) >= oldestWanted);
            if (wanted)
            {
                firstKept = i;
                break;
            }

            removable = s.LastLsn;
        }

        var unarchivedBytes = wal.SealedSegments().Where(s => s.LastLsn > archived).Sum(s => s.Bytes);
        for (var i = firstKept; i < candidates.Count && unarchivedBytes > _options.UnarchivedWalLimitBytes; i++)
        {
            removable = candidates[i].LastLsn;
            unarchivedBytes -= candidates[i].LastLsn > archived ? candidates[i].Bytes : 0;
            if (candidates[i].LastLsn > archived)
            {
                Interlocked.Exchange(ref _droppedUnarchivedThroughLsn, candidates[i].LastLsn);
            }
        }

        return removable;
    }
}
