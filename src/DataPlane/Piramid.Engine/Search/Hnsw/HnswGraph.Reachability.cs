namespace Piramid.Engine.Search.Hnsw;

/// <summary>
/// The graph's connectivity: which linked nodes no walk from the entry point can reach, and the pass that links them
/// back. Pruning a full row with the heuristic (the paper's, hnswlib's) can cut a node, or a small cluster whose
/// members only link to each other, off from the rest; the level-0 in-link counts prevent the first kind but not
/// the second (GraphReachabilityPropertyTests found both). No ef returns such a node, so maintenance runs
/// <see cref="Reconnect"/>.
/// </summary>
internal sealed partial class HnswGraph<TDistance>
{
    private const int MaxReconnectPasses = 16;

    /// <summary>
    /// Linked nodes that a breadth-first walk over level 0 from the entry point never reaches (deleted nodes are walked
    /// through, as searches do). Every search starts at the entry point, so no ef can return such a node. Collection read
    /// lock; meaningful once no link is in progress.
    /// </summary>
    public List<int> UnreachableLinkedNodes()
    {
        var seen = new bool[_states.Length];
        var entry = Volatile.Read(ref _entry);
        if (entry.Slot != NoNode)
        {
            MarkReachable(entry.Slot, seen);
        }

        var unreachable = new List<int>();
        for (var slot = 0; slot < seen.Length; slot++)
        {
            if (_states[slot] == NodeState.Linked && !seen[slot])
            {
                unreachable.Add(slot);
            }
        }

        return unreachable;
    }

    /// <summary>
    /// Links every linked node that the entry point does not reach from the nearest node it does reach (found by a walk
    /// from the entry point with the node's own vector), one cut-off cluster at a time: once one member is linked, the
    /// nodes it reaches are reachable too. Collection read lock, beside searches and links (rows change under their
    /// stripe locks, as in <see cref="AddLink"/>); a link running meanwhile may cut another node off, which the next
    /// pass finds. Returns the number of links added.
    /// </summary>
    public int Reconnect()
    {
        var entry = Volatile.Read(ref _entry);
        if (entry.Slot == NoNode)
        {
            return 0;
        }

        var added = 0;
        var context = SearchContext.Rent(Capacity);
        try
        {
            // A link that took a place in a full row may cut its old node off: a few passes catch those too.
            for (var pass = 0; pass < MaxReconnectPasses; pass++)
            {
                var linked = ReconnectPass(entry.Slot, context);
                added += linked;
                if (linked == 0)
                {
                    break;
                }
            }
        }
        finally
        {
            SearchContext.Return(context);
        }

        return added;
    }

    // One pass: a breadth-first walk from the entry point, then each linked node it missed is linked from its nearest
    // reached node, and what it reaches counts as reached.
    private int ReconnectPass(int entry, SearchContext context)
    {
        var states = _states;
        var seen = new bool[states.Length];
        MarkReachable(entry, seen);
        var added = 0;
        for (var slot = 0; slot < seen.Length; slot++)
        {
            if (states[slot] != NodeState.Linked || seen[slot])
            {
                continue;
            }

            var scorer = new FloatScorer<TDistance>(_vectors, slot);
            var orphan = slot;
            var found = Search(ref scorer, EfConstruction, accept: node => node != orphan && seen[node], context);
            for (var i = 0; i < 3 * found; i++)
            {
                // From the nearest reached nodes: first links that cut nothing off (a free place, or instead of a link
                // reached another way), then a splice through the node itself, and last instead of a link whose node
                // has another in-link (that may be cut off: the next pass looks).
                var from = context.Found[i % found].Slot;
                var linked = (i / found) switch
                {
                    0 => TryLinkTo(from, slot, uncovered: false),
                    1 => TrySplice(from, slot),
                    _ => TryLinkTo(from, slot, uncovered: true),
                };
                if (linked)
                {
                    added++;
                    MarkReachable(slot, seen);
                    break;
                }
            }
        }

        return added;
    }

    // Adds from -> to at level 0: in a free place, or instead of the farthest link that another link of the row also
    // reaches; with `uncovered`, else instead of the farthest whose node has another in-link (never a node's last).
    private bool TryLinkTo(int from, int to, bool uncovered)
    {
        lock (StripeOf(from))
        {
            var row = RawRow(from, 0);
            var count = row[0];
            var links = row.Slice(1, count);
            if (links.Contains(to))
            {
                return true;
            }

            if (count < M0)
            {
                Interlocked.Increment(ref _inLinks0[to]);
                row[1 + count] = to;
                Volatile.Write(ref row[0], count + 1);
                return true;
            }

            var victim = -1;
            var victimScore = float.MaxValue;
            var victimCovered = false;
            for (var i = 0; i < count; i++)
            {
                var covered = ReachedThroughAnother(links, i);
                if (!covered && (!uncovered || Volatile.Read(ref _inLinks0[links[i]]) <= 1))
                {
                    continue;
                }

                var score = PairScore(from, links[i]);
                if ((covered && !victimCovered) || (covered == victimCovered && score < victimScore))
                {
                    (victim, victimScore, victimCovered) = (i, score, covered);
                }
            }

            if (victim < 0)
            {
                return false;
            }

            Interlocked.Decrement(ref _inLinks0[links[victim]]);
            Interlocked.Increment(ref _inLinks0[to]);
            Volatile.Write(ref links[victim], to);
            return true;
        }
    }

    // When every link of `from`'s full row is some node's only way in: `from` -> `to` takes the place of a link `to`
    // also has, or of one `to` then takes over (`to` -> it), so the node behind it stays reachable through `to`.
    private bool TrySplice(int from, int to)
    {
        // Two stripes, always taken lowest first (links take one at a time, so no cycle can form).
        var (a, b) = (from & (LockStripes - 1), to & (LockStripes - 1));
        var (first, second) = (_stripes[Math.Min(a, b)], _stripes[Math.Max(a, b)]);
        lock (first)
        {
            lock (second)
            {
                var row = RawRow(from, 0);
                var links = row.Slice(1, row[0]);
                var own = RawRow(to, 0);
                var ownCount = own[0];
                var owned = own.Slice(1, ownCount);
                if (links.Contains(to))
                {
                    return true;
                }

                var victim = -1;
                for (var i = 0; i < links.Length && victim < 0; i++)
                {
                    victim = owned.Contains(links[i]) ? i : -1;
                }

                if (victim >= 0)
                {
                    Interlocked.Decrement(ref _inLinks0[links[victim]]);
                }
                else if (ownCount < M0 && links.Length > 0)
                {
                    victim = links.Length - 1; // any link will do: its node stays reachable through `to`
                    own[1 + ownCount] = links[victim];
                    Volatile.Write(ref own[0], ownCount + 1);
                }
                else
                {
                    return false;
                }

                Interlocked.Increment(ref _inLinks0[to]);
                Volatile.Write(ref links[victim], to);
                return true;
            }
        }
    }

    private bool ReachedThroughAnother(ReadOnlySpan<int> links, int index)
    {
        for (var j = 0; j < links.Length; j++)
        {
            if (j != index && Row(links[j], 0).Contains(links[index]))
            {
                return true;
            }
        }

        return false;
    }

    // Breadth-first over level 0 from `start`, marking what it reaches (deleted nodes are walked through).
    private void MarkReachable(int start, bool[] seen)
    {
        if (seen[start])
        {
            return;
        }

        var queue = new Queue<int>();
        seen[start] = true;
        queue.Enqueue(start);
        while (queue.TryDequeue(out var node))
        {
            foreach (var neighbour in Row(node, 0))
            {
                if ((uint)neighbour < (uint)seen.Length && !seen[neighbour])
                {
                    seen[neighbour] = true;
                    queue.Enqueue(neighbour);
                }
            }
        }
    }
}
