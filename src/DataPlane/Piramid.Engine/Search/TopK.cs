using System.Runtime.CompilerServices;

namespace Piramid.Engine.Search;

/// <summary>
/// Keeps the <c>k</c> best (slot, score) pairs: higher score first, ties broken by the smaller slot, so results
/// are deterministic whatever the scan order. A binary min-heap with the worst kept pair at the root; reusable
/// through <see cref="Reset"/> and allocation-free per <see cref="Add"/>.
/// </summary>
public sealed class TopK
{
    private ScoredSlot[] _heap;

    /// <summary>Creates an empty top-k of capacity <paramref name="k"/> (0 keeps nothing).</summary>
    public TopK(int k)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(k);
        _heap = new ScoredSlot[k];
        K = k;
    }

    /// <summary>How many pairs are kept at most.</summary>
    internal int K { get; private set; }

    /// <summary>The number of pairs kept so far.</summary>
    public int Count { get; private set; }

    /// <summary>
    /// The worst kept score once <see cref="Count"/> reaches k (negative infinity before). A candidate scoring
    /// below it cannot enter; one scoring equal enters only with a smaller slot than the worst kept pair.
    /// </summary>
    public float Threshold => Count == K && K > 0 ? _heap[0].Score : float.NegativeInfinity;

    /// <summary>Empties the top-k and sets a new capacity, reusing the buffer when it is large enough.</summary>
    public void Reset(int k)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(k);
        if (k > _heap.Length)
        {
            _heap = new ScoredSlot[k];
        }

        K = k;
        Count = 0;
    }

    /// <summary>Offers a pair; it is kept if it is among the k best so far. NaN scores are ignored.</summary>
    public void Add(int slot, float score)
    {
        if (float.IsNaN(score))
        {
            return;
        }

        var candidate = new ScoredSlot(slot, score);
        if (Count < K)
        {
            SiftUp(Count++, candidate);
        }
        else if (K > 0 && IsBetter(candidate, _heap[0]))
        {
            SiftDown(0, candidate);
        }
    }

    /// <summary>The kept pairs, best first, as a new array; the top-k itself is unchanged.</summary>
    public ScoredSlot[] ToSortedArray()
    {
        var result = _heap.AsSpan(0, Count).ToArray();
        result.AsSpan().Sort(default(BestFirst));
        return result;
    }

    /// <summary>Whether <paramref name="a"/> ranks before <paramref name="b"/>: higher score, then smaller slot.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    internal static bool IsBetter(ScoredSlot a, ScoredSlot b) =>
        a.Score > b.Score || (a.Score == b.Score && a.Slot < b.Slot);

    // The root is the worst kept pair, so a parent is never better than its children.
    private void SiftUp(int index, ScoredSlot item)
    {
        while (index > 0)
        {
            int parent = (index - 1) >> 1;
            if (!IsBetter(_heap[parent], item))
            {
                break;
            }

            _heap[index] = _heap[parent];
            index = parent;
        }

        _heap[index] = item;
    }

    private void SiftDown(int index, ScoredSlot item)
    {
        int count = Count;
        while (true)
        {
            int child = (2 * index) + 1;
            if (child >= count)
            {
                break;
            }

            // Descend toward the worse child so the root stays the worst.
            if (child + 1 < count && IsBetter(_heap[child], _heap[child + 1]))
            {
                child++;
            }

            if (!IsBetter(item, _heap[child]))
            {
                break;
            }

            _heap[index] = _heap[child];
            index = child;
        }

        _heap[index] = item;
    }

    /// <summary>Orders pairs best first.</summary>
    internal readonly struct BestFirst : IComparer<ScoredSlot>
    {
        public int Compare(ScoredSlot x, ScoredSlot y) =>
            IsBetter(x, y) ? -1 : IsBetter(y, x) ? 1 : 0;
    }
}
