namespace Piramid.Engine.Search.Hnsw;

/// <summary>Linking a reserved node into the graph, and the neighbour-selection heuristic.</summary>
internal sealed partial class HnswGraph<TDistance>
{
    /// <summary>
    /// Links a node made by <see cref="Reserve"/> (its vector already in the slab): at each of its levels, the
    /// <c>M</c> neighbours chosen by the heuristic among the <c>ef_construction</c> best, and the links back.
    /// Safe to call from several threads at once for different slots.
    /// </summary>
    public void Link(int slot)
    {
        var scorer = new FloatScorer<TDistance>(_vectors, slot);
        Link(slot, ref scorer);
    }

    /// <summary>
    /// Links a node, walking the graph with <paramref name="scorer"/> (the node's own vector as the query, e.g.
    /// on int8 codes). Candidates found with another scorer than the float one are rescored with floats before
    /// the heuristic compares them, so neighbours are always chosen on exact distances.
    /// </summary>
    public void Link<TScorer>(int slot, ref TScorer scorer)
        where TScorer : struct, IQueryScorer
    {
        var context = SearchContext.Rent(Capacity);
        try
        {
            LinkWith(slot, ref scorer, context);
        }
        finally
        {
            SearchContext.Return(context);
        }
    }

    private void LinkWith<TScorer>(int slot, ref TScorer scorer, SearchContext context)
        where TScorer : struct, IQueryScorer
    {
        // A node deleted before its writer got to it stays unlinked: nothing will return it.
        if (_states[slot] != NodeState.Reserved)
        {
            return;
        }

        Interlocked.Increment(ref _linksMade);
        int level = _levels[slot];
        var entry = Volatile.Read(ref _entry);
        if (entry.Slot == NoNode)
        {
            lock (_entryLock)
            {
                if (_entry.Slot == NoNode)
                {
                    MarkLinked(slot);
                    Volatile.Write(ref _entry, new EntryPoint(slot, level));
                    return;
                }

                entry = _entry;
            }
        }

        var current = entry.Slot;
        var currentScore = scorer.Score(current);
        for (var l = entry.Level; l > level; l--)
        {
            (current, currentScore) = Greedy(ref scorer, current, currentScore, l);
        }

        // The node's own rows at every level are written before any link back to it is made: until then nothing
        // links to it, so no other linker can walk into it, find a level it has not written yet empty (a dead end
        // that left the walker with this node as its only neighbour), or add a link to a row this node then
        // overwrites with its own choice. Both left nodes with no link to them (GraphReachabilityPropertyTests).
        var top = Math.Min(level, entry.Level);
        var width = M + 1;
        var keptAll = (top + 1) * width <= 1024 ? stackalloc int[(top + 1) * width] : new int[(top + 1) * width];
        for (var l = top; l >= 0; l--)
        {
            var kept = keptAll.Slice(l * width, width);
            var found = SearchLayer(ref scorer, context, current, currentScore, EfConstruction, l, accept: null);
            var nearest = found > 0 ? context.Found[0] : default;
            if (typeof(TScorer) != typeof(FloatScorer<TDistance>))
            {
                RescoreFound(slot, context.Found.AsSpan(0, found));
            }

            var keptCount = SelectNeighbours(context.Found.AsSpan(0, found), M, kept[1..], exclude: slot);

            // Every node the walk met was deleted: link through the node it started from, so the new node is not cut off.
            if (keptCount == 0 && current != slot)
            {
                kept[1] = current;
                keptCount = 1;
            }

            kept[0] = keptCount;
            lock (StripeOf(slot))
            {
                var row = RawRow(slot, l);
                kept.Slice(1, keptCount).CopyTo(row[1..]);
                Volatile.Write(ref row[0], keptCount);
            }

            if (l == 0)
            {
                foreach (var neighbour in kept.Slice(1, keptCount))
                {
                    Interlocked.Increment(ref _inLinks0[neighbour]);
                }
            }

            // The next level down starts from the nearest node, scored by the walk's own scorer.
            if (found > 0 && nearest.Slot != slot)
            {
                (current, currentScore) = (nearest.Slot, nearest.Score);
            }
        }

        for (var l = top; l >= 0; l--)
        {
            var kept = keptAll.Slice(l * width, width);
            for (var i = 1; i <= kept[0]; i++)
            {
                AddLink(kept[i], slot, l, context);
            }
        }

        MarkLinked(slot);
        if (level > entry.Level)
        {
            lock (_entryLock)
            {
                if (level > _entry.Level)
                {
                    Volatile.Write(ref _entry, new EntryPoint(slot, level));
                }
            }
        }
    }

    private void RescoreFound(int slot, Span<ScoredSlot> found)
    {
        for (var i = 0; i < found.Length; i++)
        {
            found[i] = new ScoredSlot(found[i].Slot, PairScore(slot, found[i].Slot));
        }

        found.Sort(default(TopK.BestFirst));
    }

    private void MarkLinked(int slot)
    {
        lock (StripeOf(slot))
        {
            if (_states[slot] == NodeState.Reserved)
            {
                _states[slot] = NodeState.Linked;
                Interlocked.Increment(ref _linkedCount);
            }
        }
    }

    // The heuristic of the paper (hnswlib's getNeighborsByHeuristic2): walking the candidates best first, keep
    // one only if it is closer to the node than to every neighbour kept so far, so links spread in all
    // directions instead of bunching in one cluster.
    private int SelectNeighbours(ReadOnlySpan<ScoredSlot> candidates, int m, Span<int> kept, int exclude)
    {
        var count = 0;
        foreach (var candidate in candidates)
        {
            if (count == m)
            {
                break;
            }

            if (candidate.Slot == exclude)
            {
                continue;
            }

            var diverse = true;
            for (var i = 0; i < count; i++)
            {
                if (PairScore(candidate.Slot, kept[i]) > candidate.Score)
                {
                    diverse = false;
                    break;
                }
            }

            if (diverse)
            {
                kept[count++] = candidate.Slot;
            }
        }

        return count;
    }

    // Adds the link node -> neighbour; a full row is re-chosen with the heuristic from the node's point of view.
    private void AddLink(int node, int neighbour, int level, SearchContext context)
    {
        var max = level == 0 ? M0 : M;
        lock (StripeOf(node))
        {
            var row = RawRow(node, level);
            var count = row[0];
            var links = row.Slice(1, count);
            if (links.Contains(neighbour))
            {
                return;
            }

            if (count < max)
            {
                if (level == 0)
                {
                    Interlocked.Increment(ref _inLinks0[neighbour]);
                }

                row[1 + count] = neighbour;
                Volatile.Write(ref row[0], count + 1);
                return;
            }

            context.EnsureScratch(count + 1);
            var scored = context.Scratch.AsSpan(0, count + 1);
            for (var i = 0; i < count; i++)
            {
                scored[i] = new ScoredSlot(links[i], PairScore(node, links[i]));
            }

            scored[count] = new ScoredSlot(neighbour, PairScore(node, neighbour));
            scored.Sort(default(TopK.BestFirst));
            Span<int> kept = stackalloc int[max];
            var keptCount = SelectNeighbours(scored, max, kept, exclude: node);
            if (level == 0)
            {
                keptCount = KeepLastInLinks(links, neighbour, kept, keptCount, max);
            }

            kept[..keptCount].CopyTo(row[1..]);
            Volatile.Write(ref row[0], keptCount);
        }
    }

    private float PairScore(int a, int b)
    {
        var inverseNorms = _vectors.InverseNorms;
        return TDistance.RawScore(_vectors.Vector(a), _vectors.Vector(b), inverseNorms[a], inverseNorms[b]);
    }
}
