namespace Piramid.Engine.Collections;

/// <summary>
/// Linking behind acknowledgement (docs/design/ingest.md): writers reserve graph nodes and hand them to the
/// <see cref="TailLinker"/>; searches scan its tail exactly (<c>.Search</c>); recovery hands it every node still
/// reserved after the checkpoint and the log are applied.
/// </summary>
public sealed partial class Collection
{
    private static readonly TimeSpan ReconnectEvery = TimeSpan.FromMinutes(1);
    private long _linksAtReconnect;
    private DateTimeOffset _reconnectedAt;
    private bool _graphRepaired;

    /// <summary>Points acknowledged and not yet linked into the graph (0 for a flat collection).</summary>
    public int UnlinkedPoints => _linker?.Count ?? 0;

    /// <summary>Graph nodes linked in the background since the collection opened.</summary>
    public long BackgroundLinks => _linker?.Linked ?? 0;

    /// <summary>Completes when every acknowledged point is linked (or the collection closed).</summary>
    public Task WhenLinkedAsync() => _linker?.WhenEmptyAsync() ?? Task.CompletedTask;

    /// <summary>Test seam: holds the linker (no new link starts) until the result is disposed.</summary>
    internal IDisposable HoldLinks()
    {
        _linker?.Hold(true);
        return new LinkHold(_linker);
    }

    /// <summary>
    /// Test seam: true when the point is in the unlinked tail now. The tail only shrinks between writes, so a point in it
    /// after a search was in it during the search, and that search scanned it exactly.
    /// </summary>
    internal bool IsUnlinked(string id)
    {
        _lock.EnterReadLock();
        try
        {
            return _linker is not null && _store.TryGet(id, out var entry) && _linker.Snapshot().Contains(entry.Slot)
                && _store.Index!.IsLiveNode(entry.Slot) && _store.Index.ReservedSlots().Contains(entry.Slot);
        }
        finally
        {
            _lock.ExitReadLock();
        }
    }

    /// <summary>Test seam: ids of linked points that no graph walk from the entry point reaches (after the linker drained).</summary>
    internal List<string> UnreachablePoints()
    {
        _lock.EnterReadLock();
        try
        {
            return _store.Index is { } index
                ? [.. index.UnreachableLinkedNodes().Select(slot => _store.BySlot[slot]?.Id ?? $"#{slot}")]
                : [];
        }
        finally
        {
            _lock.ExitReadLock();
        }
    }

    /// <summary>
    /// Maintenance: links cut-off graph nodes back (<see cref="Search.Hnsw.HnswIndex.Reconnect"/>) once the graph changed
    /// enough since the last pass (a hundredth of its nodes linked anew, or a compaction) or a minute went by with
    /// any link: the pass walks every level-0 link, so it is not run on every write.
    /// Under the read lock, beside searches and links. Returns the links added.
    /// </summary>
    internal int ReconnectGraph(DateTimeOffset now)
    {
        if (_store.Index is not { } index)
        {
            return 0;
        }

        _lock.EnterReadLock();
        try
        {
            var made = index.LinksMade;
            var changed = made - _linksAtReconnect;
            var due = _graphRepaired || changed >= Math.Max(1, index.LinkedCount / 100) || (changed > 0 && now - _reconnectedAt >= ReconnectEvery);
            if (_closed || !due)
            {
                return 0;
            }

            (_linksAtReconnect, _reconnectedAt, _graphRepaired) = (made, now, false);
            var added = index.Reconnect();
            EngineMetrics.GraphReconnects.Add(added);
            return added;
        }
        finally
        {
            _lock.ExitReadLock();
        }
    }

    // One node, under the read lock like searches: writers queue for the write lock behind one link at most.
    private bool LinkOne(int slot)
    {
        _lock.EnterReadLock();
        try
        {
            if (_closed)
            {
                return false;
            }

            _store.Link(slot);
            return true;
        }
        finally
        {
            _lock.ExitReadLock();
        }
    }

    // Back-pressure: a write waits, before it takes the lock, while the tail is at its bound.
    private ValueTask WaitForLinkerAsync(CancellationToken cancellationToken) =>
        _linker?.WaitForRoomAsync(cancellationToken) ?? ValueTask.CompletedTask;

    // Under the write lock, so the tail's order is the log's and a search that follows sees the new nodes in it.
    private void QueueLinksLocked(List<int>? slots)
    {
        if (slots is not null && _linker is not null)
        {
            _linker.Add(slots);
        }
    }

    // After recovery: nodes reserved by the log's replay, and nodes a checkpoint saved before their links were made.
    private void QueueRecoveredLinks()
    {
        if (_store.Index is { } index && _linker is not null)
        {
            _linker.Add([.. index.ReservedSlots()]);
        }
    }

    private sealed class LinkHold(TailLinker? linker) : IDisposable
    {
        public void Dispose() => linker?.Hold(false);
    }
}
