namespace Piramid.Engine.Search.Hnsw;

/// <summary>
/// Level-0 in-link counts, so that pruning a full row never takes a node's last link to it. The heuristic that
/// re-chooses a full row (<see cref="AddLink"/>) may drop any of its links; a node whose every in-link was dropped
/// that way is reachable by no walk (GraphReachabilityPropertyTests found such nodes). A row keeps such a link
/// instead of another one whose node has other in-links.
/// </summary>
/// <remarks>
/// Counts change with <see cref="Interlocked"/> under the stripe lock of the row whose link changes, so two rows
/// dropping the same node at once see one of them take the count to zero. A repair or a load rewrites rows without
/// counting: they mark the counts stale and the next <see cref="Reserve"/> (write lock, no link running) recounts.
/// </remarks>
internal sealed partial class HnswGraph<TDistance>
{
    private int[] _inLinks0 = [];
    private bool _inLinksStale;

    // Write lock: recounts every level-0 row after a repair or a load.
    private void RecountInLinksIfStale()
    {
        if (!_inLinksStale)
        {
            return;
        }

        Array.Clear(_inLinks0);
        for (var slot = 0; slot < _states.Length; slot++)
        {
            foreach (var neighbour in Row(slot, 0))
            {
                _inLinks0[neighbour]++;
            }
        }

        _inLinksStale = false;
    }

    // A full level-0 row being re-chosen (stripe lock of `node` held): `kept` holds the heuristic's choice among the
    // old links and `added`; returns the count kept after putting back links whose node would have no other in-link.
    private int KeepLastInLinks(ReadOnlySpan<int> old, int added, Span<int> kept, int keptCount, int max)
    {
        foreach (var link in old)
        {
            if (kept[..keptCount].Contains(link) || Interlocked.Decrement(ref _inLinks0[link]) > 0)
            {
                continue;
            }

            // `link` would lose its last in-link: keep it, in a free place or instead of a kept link with others.
            Interlocked.Increment(ref _inLinks0[link]);
            keptCount = Rescue(link, old, added, kept, keptCount, max);
        }

        if (!kept[..keptCount].Contains(added) && Volatile.Read(ref _inLinks0[added]) == 0)
        {
            keptCount = Rescue(added, old, added, kept, keptCount, max);
        }

        if (kept[..keptCount].Contains(added))
        {
            Interlocked.Increment(ref _inLinks0[added]);
        }

        return keptCount;
    }

    private int Rescue(int node, ReadOnlySpan<int> old, int added, Span<int> kept, int keptCount, int max)
    {
        if (keptCount < max)
        {
            kept[keptCount] = node;
            return keptCount + 1;
        }

        // Replace the worst kept link (kept is best first) whose node keeps another in-link; the new node counts none yet.
        for (var i = keptCount - 1; i >= 0; i--)
        {
            var victim = kept[i];
            if (victim == added)
            {
                if (Volatile.Read(ref _inLinks0[added]) > 0)
                {
                    kept[i] = node;
                    return keptCount;
                }

                continue;
            }

            if (old.Contains(victim) && Interlocked.Decrement(ref _inLinks0[victim]) > 0)
            {
                kept[i] = node;
                return keptCount;
            }

            if (old.Contains(victim))
            {
                Interlocked.Increment(ref _inLinks0[victim]);
            }
        }

        return keptCount;
    }
}
