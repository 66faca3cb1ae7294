namespace Piramid.Engine.Collections;

/// <summary>
/// Graph compaction: deleted and moved points leave nodes behind as stepping stones; once they are a large
/// share of the graph, the live nodes are routed around them and their slots are freed for reuse.
/// </summary>
public sealed partial class Collection
{
    // A repair reads every row, so it waits until deleted nodes are a tenth of the graph (and at least 64).
    private const double CompactionDeletedShare = 0.10;
    private const int CompactionMinimumDeleted = 64;

    /// <summary>Graph nodes linked since the collection was opened (tests: a loaded graph is not rebuilt).</summary>
    internal long IndexLinksMade => _store.Index?.LinksMade ?? 0;

    /// <summary>Bytes of int8 codes (0 until the quantizer is trained, and for float collections).</summary>
    internal long IndexCodeBytes => _store.Index?.CodeBytes ?? 0;

    /// <summary>Graph nodes deleted and not yet freed.</summary>
    internal int IndexDeletedNodes => _store.Index?.DeletedCount ?? 0;

    /// <summary>True when the graph holds enough deleted nodes to be worth a repair.</summary>
    internal bool NeedsCompaction
    {
        get
        {
            var index = _store.Index;
            // Only with an empty tail: a repair rewrites rows the linker reads, and a freed slot may be one the tail lists.
            if (index is null || _closed || FailureReason is not null || UnlinkedPoints > 0)
            {
                return false;
            }

            var deleted = index.DeletedCount;
            return deleted >= CompactionMinimumDeleted && deleted >= CompactionDeletedShare * (deleted + index.LinkedCount);
        }
    }

    /// <summary>
    /// Repairs the graph under the read lock (searches and links go on), then frees the repaired slots under a
    /// short write lock. Returns how many slots were freed.
    /// </summary>
    internal int Compact()
    {
        if (_store.Index is not { } index)
        {
            return 0;
        }

        List<int> repaired;
        _lock.EnterReadLock();
        try
        {
            if (_closed || UnlinkedPoints > 0)
            {
                return 0;
            }

            repaired = index.Repair();
            _graphRepaired = true; // the repair re-chose rows without the in-link rule: reconnect next round
        }
        finally
        {
            _lock.ExitReadLock();
        }

        if (repaired.Count == 0)
        {
            return 0;
        }

        _lock.EnterWriteLock();
        try
        {
            // Writes during the repair made a tail: its slots must not be freed under it; the next compaction frees them.
            if (UnlinkedPoints > 0)
            {
                return 0;
            }

            return _store.ReleaseRepaired(repaired);
        }
        finally
        {
            _lock.ExitWriteLock();
        }
    }
}
