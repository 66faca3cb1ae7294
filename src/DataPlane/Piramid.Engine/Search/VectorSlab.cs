using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;

namespace Piramid.Engine.Search;

/// <summary>
/// A growable slab of fixed-stride vectors in one contiguous <c>float[]</c>, with a precomputed inverse norm
/// and a live flag per slot. Freed slots are reused (last freed, first reused) so the slab stays dense.
/// </summary>
/// <remarks>
/// The vectors start at <see cref="DataOffset"/> in a pinned array, on a 64-byte boundary: when a vector's
/// size is a multiple of 64 bytes (256 and 784 dimensions are) every vector then covers whole cache lines,
/// 16 instead of 17 at 256-d, and no 32-byte load of the distance kernels straddles two lines. A .NET array's
/// data starts 16 bytes past a line boundary, which split half of those loads (docs/design/hnsw.md).
/// </remarks>
/// <remarks>
/// Not synchronized. Callers hold the collection's write lock for <see cref="Add"/>, <see cref="Set"/> and
/// <see cref="Remove"/> (Add may replace the backing arrays) and a read lock for every read, including spans
/// returned by <see cref="Get"/>, which must not outlive that lock. Vectors are stored as given: validating
/// finite values and dimensions against collection limits is the caller's job.
/// </remarks>
public sealed class VectorSlab
{
    // Arrays above this many elements are rejected by the runtime (Array.MaxLength for float).
    // Less the floats kept for alignment.
    private const long MaxElements = 0x7FFFFFC7 - AlignmentFloats;

    private const int AlignmentBytes = 64;
    private const int AlignmentFloats = AlignmentBytes / sizeof(float);

    private float[] _data;
    private int _offset;
    private float[] _inverseNorms;
    private bool[] _live;
    private bool[] _retired;
    private int[] _freeSlots;
    private int _freeCount;

    /// <summary>Creates an empty slab for vectors of <paramref name="dimension"/> floats.</summary>
    public VectorSlab(int dimension, int initialCapacity = 1024)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(dimension);
        ArgumentOutOfRangeException.ThrowIfNegative(initialCapacity);
        Dimension = dimension;
        int capacity = (int)Math.Min(initialCapacity, MaxElements / dimension);
        (_data, _offset) = Allocate((long)capacity * dimension);
        _inverseNorms = new float[capacity];
        _live = new bool[capacity];
        _retired = new bool[capacity];
        _freeSlots = [];
    }

    /// <summary>The number of floats per vector.</summary>
    public int Dimension { get; }

    /// <summary>The number of live vectors.</summary>
    public int Count { get; private set; }

    /// <summary>One past the highest slot ever used; scans visit slots <c>[0, HighWater)</c>.</summary>
    public int HighWater { get; private set; }

    /// <summary>The number of slots allocated.</summary>
    internal int Capacity => _live.Length;

    /// <summary>Stores a vector and returns its slot, reusing a freed slot when there is one.</summary>
    public int Add(ReadOnlySpan<float> vector)
    {
        CheckDimension(vector);
        int slot;
        if (_freeCount > 0)
        {
            slot = _freeSlots[--_freeCount];
        }
        else
        {
            if (HighWater == Capacity)
            {
                Grow();
            }

            slot = HighWater++;
        }

        Write(slot, vector);
        _live[slot] = true;
        Count++;
        return slot;
    }

    /// <summary>Overwrites the vector of a live slot in place.</summary>
    public void Set(int slot, ReadOnlySpan<float> vector)
    {
        CheckLive(slot);
        CheckDimension(vector);
        Write(slot, vector);
    }

    /// <summary>Frees a live slot; a later <see cref="Add"/> may reuse it.</summary>
    public void Remove(int slot)
    {
        // Freeing twice would hand one slot to two points, so a dead slot is a caller bug, not a no-op.
        CheckLive(slot);
        _live[slot] = false;
        _inverseNorms[slot] = 0f;
        PushFree(slot);
        Count--;
    }

    private void PushFree(int slot)
    {
        if (_freeCount == _freeSlots.Length)
        {
            Array.Resize(ref _freeSlots, Math.Max(16, _freeSlots.Length * 2));
        }

        _freeSlots[_freeCount++] = slot;
    }

    /// <summary>
    /// Takes a live slot out of scans but keeps its vector and its slot: a graph index still walks through it
    /// until its links are repaired, and then <see cref="Release"/> frees it.
    /// </summary>
    public void Retire(int slot)
    {
        CheckLive(slot);
        _live[slot] = false;
        _retired[slot] = true;
        RetiredCount++;
        Count--;
    }

    /// <summary>Frees a retired slot; a later <see cref="Add"/> may reuse it.</summary>
    public void Release(int slot)
    {
        if (!IsRetired(slot))
        {
            throw new ArgumentOutOfRangeException(nameof(slot), slot, "The slot is not retired.");
        }

        _retired[slot] = false;
        _inverseNorms[slot] = 0f;
        RetiredCount--;
        PushFree(slot);
    }

    /// <summary>Whether <paramref name="slot"/> is retired (kept for a graph, not live).</summary>
    public bool IsRetired(int slot) => (uint)slot < (uint)HighWater && _retired[slot];

    /// <summary>Slots retired and not yet released.</summary>
    public int RetiredCount { get; private set; }

    /// <summary>
    /// Puts a vector at a given slot, live or retired, while restoring a checkpoint that recorded slots; call
    /// <see cref="CompleteRestore"/> after the last one. Only on a slab that has had no other writes.
    /// </summary>
    public void Restore(int slot, ReadOnlySpan<float> vector, bool live)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(slot);
        CheckDimension(vector);
        while (slot >= Capacity)
        {
            Grow();
        }

        if (_live[slot] || _retired[slot])
        {
            throw new InvalidOperationException($"Slot {slot} is restored twice.");
        }

        Write(slot, vector);
        if (live)
        {
            _live[slot] = true;
            Count++;
        }
        else
        {
            _retired[slot] = true;
            RetiredCount++;
        }

        HighWater = Math.Max(HighWater, slot + 1);
    }

    /// <summary>
    /// Restores slots <c>[first, first + states.Length)</c> at once from a checkpoint that saved them as stored
    /// (docs/design/checkpoint.md, version 4): one copy of <paramref name="vectors"/> into the slab and a norm per
    /// live or retired slot; <paramref name="states"/> holds 0 (free), 1 (live) or 2 (retired) per slot. Only on a
    /// slab that has had no other writes; call <see cref="CompleteRestore"/> after the last block.
    /// </summary>
    public void RestoreBlock(int first, ReadOnlySpan<byte> states, ReadOnlySpan<float> vectors)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(first);
        if (vectors.Length != (long)states.Length * Dimension)
        {
            throw new ArgumentException($"{states.Length} slots need {states.Length * Dimension} floats, not {vectors.Length}.", nameof(vectors));
        }

        var end = first + states.Length;
        Reserve(end - HighWater);
        if (end > Capacity)
        {
            throw new InvalidOperationException($"The slab cannot hold {end} slots.");
        }

        for (var i = 0; i < states.Length; i++)
        {
            if (states[i] > 2 || _live[first + i] || _retired[first + i])
            {
                throw new InvalidOperationException($"Slot {first + i} is restored twice or has an unknown state {states[i]}.");
            }
        }

        vectors.CopyTo(_data.AsSpan(_offset + (first * Dimension), vectors.Length));
        for (var i = 0; i < states.Length; i++)
        {
            var slot = first + i;
            if (states[i] == 0)
            {
                continue;
            }

            _inverseNorms[slot] = VectorKernels.InverseNorm(Vector(slot));
            if (states[i] == 1)
            {
                _live[slot] = true;
                Count++;
            }
            else
            {
                _retired[slot] = true;
                RetiredCount++;
            }
        }

        HighWater = Math.Max(HighWater, end);
    }

    /// <summary>Frees the holes a restore left below the high-water mark.</summary>
    public void CompleteRestore()
    {
        for (var slot = HighWater - 1; slot >= 0; slot--)
        {
            if (!_live[slot] && !_retired[slot])
            {
                PushFree(slot);
            }
        }
    }

    /// <summary>Whether <paramref name="slot"/> holds a vector; false for freed or never-used slots.</summary>
    public bool IsLive(int slot) => (uint)slot < (uint)HighWater && _live[slot];

    /// <summary>The vector of a live slot, valid until the next write under the caller's lock.</summary>
    public ReadOnlySpan<float> Get(int slot)
    {
        CheckLive(slot);
        return Vector(slot);
    }

    /// <summary><c>1 / ||v||</c> of a live slot, or 0 for a zero vector.</summary>
    public float InverseNorm(int slot)
    {
        CheckLive(slot);
        return _inverseNorms[slot];
    }

    /// <summary>The vector of a slot without checks, for scans that already test <see cref="LiveFlags"/>.</summary>
    internal ReadOnlySpan<float> Vector(int slot) => new(_data, _offset + (slot * Dimension), Dimension);

    /// <summary>The backing vector array; slot <c>s</c> starts at <c>DataOffset + s * Dimension</c>.</summary>
    internal float[] Data => _data;

    /// <summary>Where slot 0 starts in <see cref="Data"/>: the first float on a 64-byte boundary.</summary>
    internal int DataOffset => _offset;

    /// <summary>Per-slot inverse norms (0 for dead slots).</summary>
    internal float[] InverseNorms => _inverseNorms;

    /// <summary>Per-slot live flags; only <c>[0, HighWater)</c> is meaningful.</summary>
    internal bool[] LiveFlags => _live;

    private void Write(int slot, ReadOnlySpan<float> vector)
    {
        vector.CopyTo(_data.AsSpan(_offset + (slot * Dimension), Dimension));
        _inverseNorms[slot] = VectorKernels.InverseNorm(vector);
    }

    /// <summary>The memory of slots <c>[0, slots)</c>, to fault in ahead of a load that fills them.</summary>
    internal PinnedRange MemoryOf(int slots) => LargeArrays.RangeOf(_data, _offset, (long)Math.Min(slots, Capacity) * Dimension);

    /// <summary>
    /// Grows now so that <paramref name="additional"/> more vectors fit without allocating: a write reserves
    /// before it is logged, so running out of memory refuses it whole instead of failing halfway.
    /// </summary>
    internal void Reserve(long additional)
    {
        if (HighWater + additional > Capacity && Capacity < MaxElements / Dimension)
        {
            Grow(HighWater + additional);
        }
    }

    // Grows once to at least `needed` slots (as many as fit): a checkpoint's load reserves all its slots at once, and
    // growing there by doublings allocated (and faulted in) every smaller slab on the way.
    private void Grow(long needed = 0)
    {
        long maxSlots = MaxElements / Dimension;
        if (Capacity >= maxSlots)
        {
            throw new InvalidOperationException(
                $"The slab is full: {Capacity} vectors of dimension {Dimension} is the largest single array.");
        }

        // Doubling keeps Add amortized O(1); the copy happens under the caller's write lock.
        int capacity = (int)Math.Min(Math.Max(needed, Math.Max(16L, 2L * Capacity)), maxSlots);
        var (data, offset) = Allocate((long)capacity * Dimension);
        _data.AsSpan(_offset, HighWater * Dimension).CopyTo(data.AsSpan(offset));
        (_data, _offset) = (data, offset);
        Array.Resize(ref _inverseNorms, capacity);
        Array.Resize(ref _live, capacity);
        Array.Resize(ref _retired, capacity);
    }

    // A pinned array never moves, so an offset to a 64-byte boundary found now stays one.
    private static unsafe (float[] Data, int Offset) Allocate(long floats)
    {
        var data = LargeArrays.Allocate<float>((int)floats + AlignmentFloats);
        var address = (nuint)Unsafe.AsPointer(ref MemoryMarshal.GetArrayDataReference(data));
        var misalignment = (int)(address % AlignmentBytes);
        return (data, misalignment == 0 ? 0 : (AlignmentBytes - misalignment) / sizeof(float));
    }

    private void CheckDimension(ReadOnlySpan<float> vector)
    {
        if (vector.Length != Dimension)
        {
            throw new ArgumentException(
                $"The vector has {vector.Length} values; this slab stores {Dimension}.", nameof(vector));
        }
    }

    private void CheckLive(int slot)
    {
        if (!IsLive(slot))
        {
            throw new ArgumentOutOfRangeException(nameof(slot), slot, "The slot does not hold a live vector.");
        }
    }
}
