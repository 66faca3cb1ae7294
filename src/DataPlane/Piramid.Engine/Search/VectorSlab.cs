namespace Piramid.Engine.Search;

/// <summary>
/// A growable slab of fixed-stride vectors in one contiguous <c>float[]</c>, with a precomputed inverse norm
/// and a live flag per slot. Freed slots are reused (last freed, first reused) so the slab stays dense.
/// </summary>
/// <remarks>
/// Not synchronized. Callers hold the collection's write lock for <see cref="Add"/>, <see cref="Set"/> and
/// <see cref="Remove"/> (Add may replace the backing arrays) and a read lock for every read, including spans
/// returned by <see cref="Get"/>, which must not outlive that lock. Vectors are stored as given: validating
/// finite values and dimensions against collection limits is the caller's job.
/// </remarks>
public sealed class VectorSlab
{
    // Arrays above this many elements are rejected by the runtime (Array.MaxLength for float).
    private const long MaxElements = 0x7FFFFFC7;

    private float[] _data;
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
        _data = new float[(long)capacity * dimension];
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
    internal ReadOnlySpan<float> Vector(int slot) => new(_data, slot * Dimension, Dimension);

    /// <summary>The backing vector array; slot <c>s</c> starts at <c>s * Dimension</c>.</summary>
    internal float[] Data => _data;

    /// <summary>Per-slot inverse norms (0 for dead slots).</summary>
    internal float[] InverseNorms => _inverseNorms;

    /// <summary>Per-slot live flags; only <c>[0, HighWater)</c> is meaningful.</summary>
    internal bool[] LiveFlags => _live;

    private void Write(int slot, ReadOnlySpan<float> vector)
    {
        vector.CopyTo(_data.AsSpan(slot * Dimension, Dimension));
        _inverseNorms[slot] = VectorKernels.InverseNorm(vector);
    }

    /// <summary>
    /// Grows now so that <paramref name="additional"/> more vectors fit without allocating: a write reserves
    /// before it is logged, so running out of memory refuses it whole instead of failing halfway.
    /// </summary>
    internal void Reserve(long additional)
    {
        while (HighWater + additional > Capacity && Capacity < MaxElements / Dimension)
        {
            Grow();
        }
    }

    private void Grow()
    {
        long maxSlots = MaxElements / Dimension;
        if (Capacity >= maxSlots)
        {
            throw new InvalidOperationException(
                $"The slab is full: {Capacity} vectors of dimension {Dimension} is the largest single array.");
        }

        // Doubling keeps Add amortized O(1); the copy happens under the caller's write lock.
        int capacity = (int)Math.Min(Math.Max(16L, 2L * Capacity), maxSlots);
        Array.Resize(ref _data, capacity * Dimension);
        Array.Resize(ref _inverseNorms, capacity);
        Array.Resize(ref _live, capacity);
        Array.Resize(ref _retired, capacity);
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
