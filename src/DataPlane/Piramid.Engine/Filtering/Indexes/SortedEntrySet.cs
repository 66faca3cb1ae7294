using System.Diagnostics;

namespace Piramid.Engine.Filtering.Indexes;

/// <summary>
/// A set of entries kept as flat sorted arrays: a large base plus two small sorted deltas (entries added to and
/// removed from the base since the last compaction). Counting a range costs six binary searches; enumerating
/// it is a merge walk. Memory is one entry per member plus the deltas, with no object per entry.
/// </summary>
/// <remarks>
/// Invariants: every array is sorted and duplicate-free; <c>added</c> and the base are disjoint; <c>removed</c>
/// is a subset of the base. So the members are base - removed + added, and <see cref="Count"/> is exact.
/// Writers are serialized by the caller (the collection's write lock) and all the work, compaction included,
/// happens in <see cref="Add"/> and <see cref="Remove"/>: readers never mutate, so any number may read at once.
/// Trade-off: a delta insert moves up to the delta's length, and a compaction copies the whole set once the
/// deltas hold more than 64 + √(2n) entries; at n = 1 million that is at most a ~1,500-entry memmove per update
/// and a full copy every ~1,500 updates (about 2 µs per update amortized). Appends past the largest entry (new points get ascending slots) go straight
/// to the base, so bulk loads of keyword and boolean sets are amortized O(1).
/// </remarks>
internal sealed class SortedEntrySet<T>
    where T : struct, ISlotEntry<T>
{
    private T[] _base = [];
    private int _baseCount;
    private T[] _added = [];
    private int _addedCount;
    private T[] _removed = [];
    private int _removedCount;

    /// <summary>The number of members; exact.</summary>
    public int Count => _baseCount - _removedCount + _addedCount;

    private ReadOnlySpan<T> Base => _base.AsSpan(0, _baseCount);

    private ReadOnlySpan<T> Added => _added.AsSpan(0, _addedCount);

    private ReadOnlySpan<T> Removed => _removed.AsSpan(0, _removedCount);

    /// <summary>Adds <paramref name="entry"/>; false when it was already a member.</summary>
    public bool Add(T entry)
    {
        if (RemoveSorted(ref _removed, ref _removedCount, entry))
        {
            // It was in the base and marked removed: un-marking restores it.
            return true;
        }

        if (_baseCount == 0 || entry.CompareTo(_base[_baseCount - 1]) > 0)
        {
            if (Contains(Added, entry))
            {
                return false;
            }

            if (_baseCount == _base.Length)
            {
                Array.Resize(ref _base, Math.Max(1, _base.Length * 2));
            }

            _base[_baseCount++] = entry;
            return true;
        }

        if (Contains(Base, entry) || !InsertSorted(ref _added, ref _addedCount, entry))
        {
            return false;
        }

        CompactIfDue();
        return true;
    }

    /// <summary>Removes <paramref name="entry"/>; false when it was not a member.</summary>
    public bool Remove(T entry)
    {
        if (RemoveSorted(ref _added, ref _addedCount, entry))
        {
            return true;
        }

        if (!Contains(Base, entry))
        {
            return false;
        }

        if (_removedCount == 0 && entry.CompareTo(_base[_baseCount - 1]) == 0)
        {
            // Undoing the latest append needs no delta.
            _baseCount--;
            return true;
        }

        if (!InsertSorted(ref _removed, ref _removedCount, entry))
        {
            return false;
        }

        CompactIfDue();
        return true;
    }

    /// <summary>The number of members between <paramref name="low"/> and <paramref name="high"/>, both inclusive.</summary>
    public int CountRange(T low, T high) =>
        CountIn(Base, low, high) - CountIn(Removed, low, high) + CountIn(Added, low, high);

    /// <summary>Appends the slots of the members between the bounds (both inclusive) in entry order, base first.</summary>
    public void CollectRange(T low, T high, List<int> slots)
    {
        Collect(Slice(Base, low, high), Slice(Removed, low, high), Slice(Added, low, high), slots);
    }

    /// <summary>Appends the slots of every member.</summary>
    public void CollectAll(List<int> slots) => Collect(Base, Removed, Added, slots);

    private static void Collect(ReadOnlySpan<T> b, ReadOnlySpan<T> removed, ReadOnlySpan<T> added, List<int> slots)
    {
        slots.EnsureCapacity(slots.Count + b.Length - removed.Length + added.Length);

        // removed is a sorted subset of b, so one forward pointer finds every entry to skip.
        var r = 0;
        foreach (var entry in b)
        {
            if (r < removed.Length && removed[r].CompareTo(entry) == 0)
            {
                r++;
                continue;
            }

            slots.Add(entry.Slot);
        }

        foreach (var entry in added)
        {
            slots.Add(entry.Slot);
        }
    }

    // An update costs about D/2 moved entries for the delta insert plus n/D amortized for compaction, which is
    // least at D = √(2n); 64 keeps small sets from compacting every few updates.
    private void CompactIfDue()
    {
        if (_addedCount + _removedCount <= 64 + (int)Math.Sqrt(2.0 * _baseCount))
        {
            return;
        }

        var merged = new T[Count];
        var output = 0;
        var a = 0;
        var r = 0;
        for (var b = 0; b < _baseCount; b++)
        {
            var entry = _base[b];
            if (r < _removedCount && _removed[r].CompareTo(entry) == 0)
            {
                r++;
                continue;
            }

            while (a < _addedCount && _added[a].CompareTo(entry) < 0)
            {
                merged[output++] = _added[a++];
            }

            merged[output++] = entry;
        }

        while (a < _addedCount)
        {
            merged[output++] = _added[a++];
        }

        Debug.Assert(output == merged.Length, "removed must be a subset of the base and disjoint from added");
        _base = merged;
        _baseCount = output;
        _added = [];
        _addedCount = 0;
        _removed = [];
        _removedCount = 0;
    }

    private static int CountIn(ReadOnlySpan<T> span, T low, T high) => Slice(span, low, high).Length;

    private static ReadOnlySpan<T> Slice(ReadOnlySpan<T> span, T low, T high)
    {
        var start = LowerBound(span, low);
        return span[start..Math.Max(start, UpperBound(span, high))];
    }

    private static bool Contains(ReadOnlySpan<T> span, T entry)
    {
        var index = LowerBound(span, entry);
        return index < span.Length && span[index].CompareTo(entry) == 0;
    }

    private static bool InsertSorted(ref T[] array, ref int count, T entry)
    {
        var index = LowerBound(array.AsSpan(0, count), entry);
        if (index < count && array[index].CompareTo(entry) == 0)
        {
            return false;
        }

        if (count == array.Length)
        {
            Array.Resize(ref array, Math.Max(4, array.Length * 2));
        }

        Array.Copy(array, index, array, index + 1, count - index);
        array[index] = entry;
        count++;
        return true;
    }

    private static bool RemoveSorted(ref T[] array, ref int count, T entry)
    {
        var index = LowerBound(array.AsSpan(0, count), entry);
        if (index >= count || array[index].CompareTo(entry) != 0)
        {
            return false;
        }

        Array.Copy(array, index + 1, array, index, count - index - 1);
        count--;
        return true;
    }

    // First index whose entry is >= key.
    private static int LowerBound(ReadOnlySpan<T> span, T key)
    {
        var low = 0;
        var high = span.Length;
        while (low < high)
        {
            var mid = (int)((uint)(low + high) >> 1);
            if (span[mid].CompareTo(key) < 0)
            {
                low = mid + 1;
            }
            else
            {
                high = mid;
            }
        }

        return low;
    }

    // First index whose entry is > key.
    private static int UpperBound(ReadOnlySpan<T> span, T key)
    {
        var low = 0;
        var high = span.Length;
        while (low < high)
        {
            var mid = (int)((uint)(low + high) >> 1);
            if (span[mid].CompareTo(key) <= 0)
            {
                low = mid + 1;
            }
            else
            {
                high = mid;
            }
        }

        return low;
    }
}
