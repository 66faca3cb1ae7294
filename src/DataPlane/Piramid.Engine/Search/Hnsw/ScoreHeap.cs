using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;

namespace Piramid.Engine.Search.Hnsw;

/// <summary>
/// A binary heap of (slot, score) pairs over a reusable array: a max-heap (best on top) for the candidate
/// frontier or a min-heap (worst on top) for the bounded result set. Allocates only when it outgrows its array.
/// The order is a type argument, so each heap's comparisons compile to one instruction instead of a branch on
/// a field per comparison (the walk pushes and pops tens of times per query).
/// </summary>
internal sealed class ScoreHeap<TOrder>
    where TOrder : struct, IHeapOrder
{
    private ScoredSlot[] _items = new ScoredSlot[256];

    public int Count { get; private set; }

    /// <summary>The pair on top (the best for a max-heap, the worst for a min-heap).</summary>
    public ScoredSlot Top => _items[0];

    /// <summary>The pairs in heap order, for copying results out.</summary>
    public ReadOnlySpan<ScoredSlot> Items => _items.AsSpan(0, Count);

    public void Clear() => Count = 0;

    public void Push(int slot, float score)
    {
        if (Count == _items.Length)
        {
            Array.Resize(ref _items, _items.Length * 2);
        }

        // References instead of indexing: i and its parents stay below Count, within the array.
        ref var items = ref MemoryMarshal.GetArrayDataReference(_items);
        var i = Count++;
        while (i > 0)
        {
            var parent = (i - 1) >> 1;
            if (!Above(score, Unsafe.Add(ref items, parent).Score))
            {
                break;
            }

            Unsafe.Add(ref items, i) = Unsafe.Add(ref items, parent);
            i = parent;
        }

        Unsafe.Add(ref items, i) = new ScoredSlot(slot, score);
    }

    public ScoredSlot Pop()
    {
        if (Count == 0)
        {
            ThrowEmpty();
        }

        ref var items = ref MemoryMarshal.GetArrayDataReference(_items);
        var top = items;
        var last = Unsafe.Add(ref items, --Count);
        var count = Count;
        var i = 0;
        var half = count >> 1;
        while (i < half)
        {
            var child = (2 * i) + 1;
            if (child + 1 < count && Above(Unsafe.Add(ref items, child + 1).Score, Unsafe.Add(ref items, child).Score))
            {
                child++;
            }

            if (!Above(Unsafe.Add(ref items, child).Score, last.Score))
            {
                break;
            }

            Unsafe.Add(ref items, i) = Unsafe.Add(ref items, child);
            i = child;
        }

        if (count > 0)
        {
            Unsafe.Add(ref items, i) = last;
        }

        return top;
    }

    /// <summary>
    /// Replaces the top with (<paramref name="slot"/>, <paramref name="score"/>) and restores the order: one
    /// sift-down instead of a push and a pop. The bounded result set does this for every node better than its worst,
    /// which made the push-then-pop the walk's largest cost after the distances (callgrind, 256-d).
    /// </summary>
    public void ReplaceTop(int slot, float score)
    {
        ref var items = ref MemoryMarshal.GetArrayDataReference(_items);
        var count = Count;
        var i = 0;
        var half = count >> 1;
        while (i < half)
        {
            var child = (2 * i) + 1;
            if (child + 1 < count && Above(Unsafe.Add(ref items, child + 1).Score, Unsafe.Add(ref items, child).Score))
            {
                child++;
            }

            if (!Above(Unsafe.Add(ref items, child).Score, score))
            {
                break;
            }

            Unsafe.Add(ref items, i) = Unsafe.Add(ref items, child);
            i = child;
        }

        Unsafe.Add(ref items, i) = new ScoredSlot(slot, score);
    }

    /// <summary>Empties the heap into <paramref name="destination"/>, best first; returns the count.</summary>
    public int DrainBestFirst(Span<ScoredSlot> destination)
    {
        var n = Count;
        if (TOrder.IsMaxHeap)
        {
            for (var i = 0; i < n; i++)
            {
                destination[i] = Pop();
            }
        }
        else
        {
            for (var i = n - 1; i >= 0; i--)
            {
                destination[i] = Pop();
            }
        }

        return n;
    }

    private static void ThrowEmpty() => throw new InvalidOperationException("The heap is empty.");

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static bool Above(float a, float b) => TOrder.IsMaxHeap ? a > b : a < b;
}
