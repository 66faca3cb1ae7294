namespace Piramid.Engine.Search.Hnsw;

/// <summary>Compaction: routing live nodes around deleted ones, then freeing the deleted nodes.</summary>
internal sealed partial class HnswGraph<TDistance>
{
    /// <summary>
    /// Re-chooses, with the selection heuristic, every row that points at a deleted node, from its live
    /// neighbours and the live neighbours of its deleted ones (the node's two-hop neighbourhood through the
    /// hole); moves the entry point off a deleted node. Runs under the collection's read lock, beside searches
    /// and links. Returns the deleted slots no live row points at any more, for <see cref="Release"/>.
    /// </summary>
    public List<int> Repair()
    {
        _inLinksStale = true;
        var deleted = new List<int>();
        var states = _states;
        for (var slot = 0; slot < states.Length; slot++)
        {
            if (states[slot] == NodeState.Deleted)
            {
                deleted.Add(slot);
            }
        }

        if (deleted.Count == 0)
        {
            return deleted;
        }

        var context = SearchContext.Rent(Capacity);
        try
        {
            for (var slot = 0; slot < states.Length; slot++)
            {
                if (states[slot] is NodeState.Linked or NodeState.Reserved)
                {
                    for (var level = _levels[slot]; level >= 0; level--)
                    {
                        RepairRow(slot, level, context);
                    }
                }
            }
        }
        finally
        {
            SearchContext.Return(context);
        }

        MoveEntryOffDeleted();
        return deleted;
    }

    /// <summary>Frees a repaired deleted node (collection write lock): its slot may be reserved again.</summary>
    public void Release(int slot)
    {
        if (_states[slot] != NodeState.Deleted)
        {
            return;
        }

        _states[slot] = NodeState.Free;
        _links0[slot * Stride] = 0;
        _upper[slot] = null;
        _levels[slot] = 0;
        Interlocked.Decrement(ref _deletedCount);
    }

    private void RepairRow(int slot, int level, SearchContext context)
    {
        var max = level == 0 ? M0 : M;
        lock (StripeOf(slot))
        {
            var row = Row(slot, level);
            var holes = false;
            foreach (var neighbour in row)
            {
                holes |= _states[neighbour] == NodeState.Deleted;
            }

            if (!holes)
            {
                return;
            }

            // Candidates: live neighbours, and the live neighbours of each deleted one, without repeats.
            context.NewGeneration();
            context.Visit(slot);
            var count = 0;
            foreach (var neighbour in row)
            {
                if (_states[neighbour] != NodeState.Deleted)
                {
                    count = AddCandidate(slot, neighbour, count, context);
                    continue;
                }

                foreach (var second in Row(neighbour, level))
                {
                    if (_states[second] != NodeState.Deleted)
                    {
                        count = AddCandidate(slot, second, count, context);
                    }
                }
            }

            var scored = context.Scratch.AsSpan(0, count);
            scored.Sort(default(TopK.BestFirst));
            Span<int> kept = stackalloc int[max];
            var keptCount = SelectNeighbours(scored, max, kept, exclude: slot);
            var raw = RawRow(slot, level);
            kept[..keptCount].CopyTo(raw[1..]);
            Volatile.Write(ref raw[0], keptCount);
        }
    }

    private int AddCandidate(int node, int candidate, int count, SearchContext context)
    {
        if (!context.Visit(candidate))
        {
            return count;
        }

        context.EnsureScratch(count + 1);
        context.Scratch[count] = new ScoredSlot(candidate, PairScore(node, candidate));
        return count + 1;
    }

    private void MoveEntryOffDeleted()
    {
        lock (_entryLock)
        {
            var entry = _entry;
            if (entry.Slot == NoNode || _states[entry.Slot] != NodeState.Deleted)
            {
                return;
            }

            var best = EntryPoint.None;
            for (var slot = 0; slot < _states.Length; slot++)
            {
                if (_states[slot] is NodeState.Linked && _levels[slot] > best.Level)
                {
                    best = new EntryPoint(slot, _levels[slot]);
                }
            }

            Volatile.Write(ref _entry, best);
        }
    }
}
