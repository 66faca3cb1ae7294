using Piramid.Engine.Storage;

namespace Piramid.Engine.Collections;

/// <summary>
/// Checkpoints: the whole state as of one LSN, so recovery replays only the log after it. Written under
/// the read lock (searches go on, writers wait) to avoid copying the state; see docs/design/data-directory.md.
/// </summary>
public sealed partial class Collection
{
    private long _checkpointLsn;
    private long _previousCheckpointLsn;
    private long _walBytesAtCheckpoint;
    private DateTimeOffset _lastCheckpointAt;

    /// <summary>True when the log has grown past the size or age threshold since the last checkpoint.</summary>
    internal bool NeedsCheckpoint(DateTimeOffset now)
    {
        var wal = _wal;
        if (wal is null || FailureReason is not null || _closed || wal.IsFailed || wal.LastLsn == _checkpointLsn)
        {
            return false;
        }

        return wal.BytesOnDisk - _walBytesAtCheckpoint >= _options.CheckpointAfterWalBytes
            || now - _lastCheckpointAt >= _options.CheckpointInterval;
    }

    /// <summary>
    /// Writes a checkpoint when anything changed since the last one, then drops the log segments the
    /// previous checkpoint covers (one checkpoint of slack, so a damaged newest checkpoint is survivable).
    /// </summary>
    /// <param name="force">Write one even when no LSN changed (after a revived log, memory may hold unlogged writes).</param>
    /// <returns>False when the checkpoint could not be written.</returns>
    internal bool Checkpoint(bool force = false)
    {
        _lock.EnterReadLock();
        try
        {
            var wal = _wal;
            if (wal is null || FailureReason is not null || _closed || wal.IsFailed || (!force && wal.LastLsn == _checkpointLsn))
            {
                return true;
            }

            var lsn = wal.LastLsn;
            var started = System.Diagnostics.Stopwatch.GetTimestamp();
            lock (_fileSetLock)
            {
                wal.Rotate();
                CheckpointStore.Write(CheckpointDirectory, _key, lsn, CheckpointCodec.Encode(_store, _idempotency.Snapshot(IdempotencyOwner)));
                _previousCheckpointLsn = _checkpointLsn;
                _checkpointLsn = lsn;
                _lastCheckpointAt = _options.Time.GetUtcNow();
                wal.RemoveSegmentsUpTo(RemovableThrough(wal, _previousCheckpointLsn, _lastCheckpointAt));
                CheckpointStore.RemoveAllButNewest(CheckpointDirectory, 2);
            }

            EngineMetrics.CheckpointDuration.Record(EngineMetrics.Seconds(started));

            _walBytesAtCheckpoint = wal.BytesOnDisk;
            return true;
        }
        catch (StorageFailedException e)
        {
            _health.MarkFailed(e.Message);
            return false;
        }
        catch (IOException e)
        {
            // A checkpoint that cannot be written leaves the log intact; the next attempt retries.
            _health.MarkFailed(e.Message);
            return false;
        }
        finally
        {
            _lock.ExitReadLock();
        }
    }

    /// <summary>
    /// Reopens a failed log once the disk accepts writes again; true when writable. Memory may still hold
    /// writes that were applied but never made durable (never acknowledged either), so a checkpoint follows
    /// at once: disk and memory agree again before any new write is acknowledged.
    /// </summary>
    internal bool TryRevive()
    {
        _lock.EnterWriteLock();
        try
        {
            if (_wal is null || !_wal.IsFailed)
            {
                return true;
            }

            if (!_wal.TryRecover())
            {
                return false;
            }
        }
        finally
        {
            _lock.ExitWriteLock();
        }

        return Checkpoint(force: true);
    }
}
