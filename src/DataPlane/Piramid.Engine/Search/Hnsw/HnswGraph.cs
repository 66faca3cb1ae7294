namespace Piramid.Engine.Search.Hnsw;

/// <summary>
/// A hierarchical navigable small-world graph (Malkov and Yashunin) over the slots of a <see cref="VectorSlab"/>.
/// Flat memory: level 0 keeps up to <c>2·M</c> neighbours per node in one fixed-stride <c>int</c> array
/// (<c>[count, n0, n1, …]</c>, one row per slot); the few nodes above level 0 keep <c>M</c> per level in one
/// array per node. Scores are the metric's raw scan scores (higher is closer).
/// </summary>
/// <remarks>
/// Concurrency, the contract with the collection: <see cref="Reserve"/>, <see cref="MarkDeleted"/>,
/// <see cref="Release"/> and <see cref="Load"/> run under the collection's write lock (they may replace arrays);
/// <see cref="Link"/>, <see cref="Repair"/> and searches run under its read lock, any number at once. Links
/// run in parallel with a striped lock per node, as in hnswlib; searches read neighbour rows without locks
/// (a row being rewritten holds valid slot ids at every moment, and its count is published last).
/// Deleted nodes stay in the graph as stepping stones, never returned, until <see cref="Repair"/> routes
/// their neighbours around them and the collection releases their slots.
/// </remarks>
internal sealed partial class HnswGraph<TDistance>
    where TDistance : struct, IScanDistance
{
    private const int NoNode = -1;
    private const int LockStripes = 1024;

    // Rows of 2·M links fit the search's fixed neighbour buffer (SearchContext.Fresh); the API allows 128.
    private const int MaxM = 128;

    private readonly VectorSlab _vectors;
    private readonly Lock[] _stripes;
    private readonly Lock _entryLock = new();
    private int[] _links0 = [];
    private int[]?[] _upper = [];
    private sbyte[] _levels = [];
    private NodeState[] _states = [];
    private EntryPoint _entry = EntryPoint.None;

    /// <summary>Creates an empty graph over <paramref name="vectors"/>.</summary>
    public HnswGraph(VectorSlab vectors, int m, int efConstruction)
    {
        ArgumentNullException.ThrowIfNull(vectors);
        ArgumentOutOfRangeException.ThrowIfLessThan(m, 2);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(m, MaxM);
        ArgumentOutOfRangeException.ThrowIfLessThan(efConstruction, 1);
        _vectors = vectors;
        M = m;
        M0 = 2 * m;
        EfConstruction = Math.Max(efConstruction, m);
        _stripes = new Lock[LockStripes];
        for (var i = 0; i < _stripes.Length; i++)
        {
            _stripes[i] = new Lock();
        }
    }

    /// <summary>The state of a slot in the graph.</summary>
    internal enum NodeState : byte
    {
        /// <summary>Not in the graph.</summary>
        Free,

        /// <summary>Reserved by a writer; its links are being made.</summary>
        Reserved,

        /// <summary>Linked and returnable.</summary>
        Linked,

        /// <summary>Deleted: walked through, never returned.</summary>
        Deleted,
    }

    /// <summary>Neighbours per node above level 0.</summary>
    public int M { get; }

    /// <summary>Neighbours per node at level 0.</summary>
    public int M0 { get; }

    /// <summary>The candidate list size while linking.</summary>
    public int EfConstruction { get; }

    /// <summary>Nodes marked deleted and not yet released.</summary>
    public int DeletedCount => Volatile.Read(ref _deletedCount);

    /// <summary>Nodes linked (live).</summary>
    public int LinkedCount => Volatile.Read(ref _linkedCount);

    /// <summary>The highest level of any node, or -1 when the graph is empty.</summary>
    public int MaxLevel => Volatile.Read(ref _entry).Level;

    /// <summary>Nodes linked by this instance (a graph loaded from a checkpoint starts at 0).</summary>
    public long LinksMade => Interlocked.Read(ref _linksMade);

    private long _linksMade;
    private int _deletedCount;
    private int _linkedCount;

    private int Stride => M0 + 1;

    /// <summary>Reserves and links a slot with a level drawn from the slot number (tests and benchmarks).</summary>
    public void Add(int slot)
    {
        Reserve(slot, HnswLevels.LevelFor(HnswLevels.Mix((ulong)slot), M));
        Link(slot);
    }

    /// <summary>Makes room for <paramref name="slot"/> and resets it as a new node of <paramref name="level"/>.</summary>
    public void Reserve(int slot, int level)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(slot);
        ArgumentOutOfRangeException.ThrowIfNegative(level);
        EnsureCapacity(slot + 1);
        RecountInLinksIfStale();
        _inLinks0[slot] = 0;
        _levels[slot] = (sbyte)level;
        _links0[slot * Stride] = 0;
        _upper[slot] = level == 0 ? null : new int[level * (M + 1)];
        _states[slot] = NodeState.Reserved;
    }

    /// <summary>Marks a node deleted: never returned again, still walked through.</summary>
    public void MarkDeleted(int slot)
    {
        if ((uint)slot >= (uint)_states.Length)
        {
            return;
        }

        var state = _states[slot];
        if (state is NodeState.Linked or NodeState.Reserved)
        {
            if (state == NodeState.Linked)
            {
                Interlocked.Decrement(ref _linkedCount);
            }

            _states[slot] = NodeState.Deleted;
            Interlocked.Increment(ref _deletedCount);
        }
    }

    /// <summary>True when the slot is a live node (linked, or reserved and being linked).</summary>
    public bool IsLiveNode(int slot) => (uint)slot < (uint)_states.Length && _states[slot] is NodeState.Linked or NodeState.Reserved;

    /// <summary>True when the slot is a deleted node not yet released.</summary>
    public bool IsDeletedNode(int slot) => (uint)slot < (uint)_states.Length && _states[slot] == NodeState.Deleted;

    /// <summary>True when the slot is linked and live.</summary>
    public bool IsLinked(int slot) => (uint)slot < (uint)_states.Length && _states[slot] == NodeState.Linked;

    /// <summary>The level of a node.</summary>
    public int LevelOf(int slot) => _levels[slot];

    /// <summary>Neighbours of a node at a level (a snapshot copy; for tests and persistence).</summary>
    public int[] Neighbours(int slot, int level) => Row(slot, level).ToArray();

    /// <summary>Bytes held by the graph's arrays.</summary>
    public long MemoryBytes
    {
        get
        {
            long bytes = (_links0.LongLength * sizeof(int)) + _levels.LongLength + _states.LongLength + (_upper.LongLength * IntPtr.Size);
            foreach (var upper in _upper)
            {
                bytes += upper is null ? 0 : 24 + (upper.LongLength * sizeof(int));
            }

            return bytes;
        }
    }

    /// <summary>Number of slots the arrays hold.</summary>
    internal int Capacity => _states.Length;

    private Lock StripeOf(int slot) => _stripes[slot & (LockStripes - 1)];

    // A node's row at a level: [count, n0, n1, ...]. The returned span covers the count and the capacity.
    private Span<int> RawRow(int slot, int level) =>
        level == 0 ? _links0.AsSpan(slot * Stride, Stride) : _upper[slot].AsSpan((level - 1) * (M + 1), M + 1);

    private ReadOnlySpan<int> Row(int slot, int level)
    {
        var row = RawRow(slot, level);
        var count = Math.Min(Volatile.Read(ref row[0]), row.Length - 1);
        return row.Slice(1, count);
    }

    /// <summary>The memory of the level-0 rows of nodes <c>[0, nodes)</c>, to fault in ahead of a load that fills them.</summary>
    internal PinnedRange Level0MemoryOf(int nodes) => LargeArrays.RangeOf(_links0, 0, (long)Math.Min(nodes, _states.Length) * Stride);

    /// <summary>Grows the node arrays to hold <paramref name="needed"/> nodes (write lock).</summary>
    public void EnsureCapacity(int needed)
    {
        if (needed <= _states.Length)
        {
            return;
        }

        var capacity = Math.Max(needed, Math.Max(1024, _states.Length * 2));
        Array.Resize(ref _levels, capacity);
        Array.Resize(ref _states, capacity);
        Array.Resize(ref _upper, capacity);
        var links0 = LargeArrays.Allocate<int>(capacity * Stride); // the graph's bulk: huge pages when it is large
        _links0.AsSpan().CopyTo(links0);
        _links0 = links0;
        Array.Resize(ref _inLinks0, capacity);
    }

    /// <summary>The entry node and its level, replaced as a whole so readers see a consistent pair.</summary>
    private sealed record EntryPoint(int Slot, int Level)
    {
        public static readonly EntryPoint None = new(NoNode, -1);
    }
}
