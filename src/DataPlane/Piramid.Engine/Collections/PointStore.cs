using System.Runtime.InteropServices;
using System.Text.Json;
using Piramid.Engine.Filtering.Indexes;
using Piramid.Engine.Search;
using Piramid.Engine.Search.Hnsw;

namespace Piramid.Engine.Collections;

/// <summary>
/// The points of one collection in memory: id → entry, the ids in ordinal order (for scrolling), the vectors in
/// slab slots, the slot → entry table searches read, the graph index and the metadata indexes, kept in step.
/// </summary>
/// <remarks>
/// Not thread-safe by itself: the owning <see cref="Collection"/>'s reader/writer lock guards it. Mutators run
/// under the write lock (or before the collection is published, during recovery); everything else under the
/// read lock, except <see cref="LiveCount"/>, which may be read without it. <see cref="Link"/> runs under the
/// read lock: the graph index serialises links itself (docs/design/hnsw.md).
/// </remarks>
internal sealed class PointStore
{
    private readonly Dictionary<string, PointEntry> _points = new(StringComparer.Ordinal);
    private readonly Lock _orderLock = new();
    private SortedSet<string>? _orderedIds = new(StringComparer.Ordinal); // null after a checkpoint load until first read (OrderedIds)
    private readonly List<PointSnapshot> _snapshots = [];
    private PointEntry?[] _bySlot = new PointEntry?[1024];
    private long _count;

    /// <summary>An empty store shaped by <paramref name="config"/> (dimension, graph index, schema indexes).</summary>
    public PointStore(CollectionConfig config)
    {
        ArgumentNullException.ThrowIfNull(config);
        Dimension = config.Dimension;
        Vectors = new VectorSlab(config.Dimension);
        MetadataIndexes = new MetadataIndexes(config.Schema, config.MaxAutoIndexedFields);
        Index = config.IndexType == CollectionConfig.Hnsw
            ? HnswIndex.Create(Vectors, config.Metric, config.M, config.EfConstruction, int8: config.Quantization == "int8")
            : null;
    }

    /// <summary>Floats per vector.</summary>
    public int Dimension { get; }

    /// <summary>The vectors, one slot per live point (and per deleted graph node not yet freed).</summary>
    public VectorSlab Vectors { get; }

    /// <summary>The graph index, or null for a flat collection.</summary>
    public HnswIndex? Index { get; }

    /// <summary>Indexes of the schema's keyword, numeric and boolean fields, and of undeclared scalar fields.</summary>
    public MetadataIndexes MetadataIndexes { get; }

    /// <summary>Live points (under the lock).</summary>
    public int Count => _points.Count;

    /// <summary>Live points, readable without the lock (exact at quiescence).</summary>
    public long LiveCount => Volatile.Read(ref _count);

    /// <summary>
    /// Slot → live entry (null for free and retired slots). A search captures the array once: a writer may replace
    /// it with a larger copy, never shrink it, and slots it reads are never reused while the read lock is held.
    /// </summary>
    public PointEntry?[] BySlot => _bySlot;

    /// <summary>Every live entry, in no particular order.</summary>
    public IEnumerable<PointEntry> Entries => _points.Values;

    /// <summary>True when a point with <paramref name="id"/> exists.</summary>
    public bool Contains(string id) => _points.ContainsKey(id);

    /// <summary>The entry of <paramref name="id"/>, when it exists.</summary>
    public bool TryGet(string id, out PointEntry entry) => _points.TryGetValue(id, out entry!);

    /// <summary>The entry of <paramref name="id"/>, which must exist (ids from <see cref="IdsAfter"/>).</summary>
    public PointEntry Entry(string id) => _points[id];

    /// <summary>A copy of the vector of <paramref name="entry"/>.</summary>
    public float[] VectorOf(PointEntry entry) => Vectors.Get(entry.Slot).ToArray();

    /// <summary>The metadata of <paramref name="entry"/> as UTF-8 JSON, or null when it has none.</summary>
    public static byte[]? MetadataBytesOf(PointEntry entry) =>
        entry.HasMetadata ? JsonMarshal.GetRawUtf8Value(entry.Metadata).ToArray() : null;

    /// <summary>The live ids in ordinal order, strictly after <paramref name="after"/> (from the first when null).</summary>
    public IEnumerable<string> IdsAfter(string? after)
    {
        var ordered = OrderedIds;
        if (after is null || ordered.Count == 0)
        {
            return ordered;
        }

        var max = ordered.Max!;
        if (string.CompareOrdinal(after, max) >= 0)
        {
            return [];
        }

        return ordered.GetViewBetween(after, max).Where(id => !string.Equals(id, after, StringComparison.Ordinal));
    }

    // The ids in ordinal order, for scrolls and snapshots only. A checkpoint load leaves them unordered (ordering
    // 100,000 ids was a stage of every wake; docs/design/hibernation.md): the first reader orders the id map's keys.
    // Readers run under the collection's read lock, so several may come at once: _orderLock makes one build it, and
    // the map cannot change meanwhile (writers hold the write lock). Writers keep the set in step once it exists.
    private SortedSet<string> OrderedIds => Volatile.Read(ref _orderedIds) ?? BuildOrderedIds();

    private SortedSet<string> BuildOrderedIds()
    {
        lock (_orderLock)
        {
            if (_orderedIds is null)
            {
                Volatile.Write(ref _orderedIds, new SortedSet<string>(_points.Keys, StringComparer.Ordinal));
            }

            return _orderedIds;
        }
    }

    /// <summary>
    /// Makes room for <paramref name="added"/> more points (slab, slot table, graph arrays) so that applying them
    /// cannot run out of memory half way. Throws <see cref="OutOfMemoryException"/> and changes nothing visible.
    /// </summary>
    public void Reserve(long added)
    {
        Vectors.Reserve(added);
        if (_bySlot.Length < Vectors.Capacity)
        {
            Array.Resize(ref _bySlot, Vectors.Capacity);
        }

        Index?.EnsureCapacity(Vectors.Capacity);
    }

    /// <summary>Inserts or replaces one point. Returns the slot the graph index still has to <see cref="Link"/>, or -1.</summary>
    public int Upsert(PreparedPoint point)
    {
        ArgumentNullException.ThrowIfNull(point);
        PreserveForSnapshots(point.Id);
        var metadata = ParseMetadata(point.Metadata);
        if (_points.TryGetValue(point.Id, out var existing))
        {
            MetadataIndexes.Remove(existing.Slot, existing.Metadata);
            existing.Metadata = metadata;
            var toLink = -1;
            if (Index is null)
            {
                Vectors.Set(existing.Slot, point.Vector);
            }
            else if (!Vectors.Get(existing.Slot).SequenceEqual(point.Vector))
            {
                // A graph node's links were chosen for its old vector: the point moves to a new node and the
                // old one becomes a deleted stepping stone until a repair routes around it.
                RetireSlot(existing.Slot);
                existing.Slot = AddSlot(point.Vector, existing);
                toLink = ReserveNode(existing);
            }

            MetadataIndexes.Add(existing.Slot, metadata);
            return toLink;
        }

        var entry = new PointEntry(point.Id, -1, metadata);
        entry.Slot = AddSlot(point.Vector, entry);
        MetadataIndexes.Add(entry.Slot, metadata);
        _points.Add(point.Id, entry);
        _orderedIds?.Add(point.Id); // unbuilt: it will be built from _points
        Interlocked.Increment(ref _count);
        return Index is null ? -1 : ReserveNode(entry);
    }

    /// <summary>Removes one point; false when it did not exist.</summary>
    public bool Delete(string id)
    {
        PreserveForSnapshots(id);
        if (!_points.Remove(id, out var entry))
        {
            return false;
        }

        MetadataIndexes.Remove(entry.Slot, entry.Metadata);
        RetireSlot(entry.Slot);
        _orderedIds?.Remove(id);
        Interlocked.Decrement(ref _count);
        return true;
    }

    /// <summary>Links a node reserved by <see cref="Upsert"/> into the graph (no-op for -1).</summary>
    public void Link(int slot)
    {
        if (slot >= 0)
        {
            Index!.Link(slot);
        }
    }

    /// <summary>
    /// Starts a checkpoint load into this empty store: sizes the slab, the slot table, the graph and the id map for
    /// <paramref name="slotCount"/> slots and <paramref name="points"/> points at once, instead of doubling them.
    /// </summary>
    public void BeginRestore(int slotCount, long points)
    {
        if (_points.Count != 0 || Vectors.HighWater != 0)
        {
            throw new InvalidOperationException("A checkpoint is restored only into an empty store.");
        }

        Reserve(slotCount);
        // The load writes every slot's vector and every node's row: their fresh pages are faulted in on another
        // thread meanwhile, so the kernel's zeroing of them is not on the load's thread (LargeArrays).
        _ = LargeArrays.PrefaultInBackground(Index is { } index
            ? [Vectors.MemoryOf(slotCount), index.Level0MemoryOf(slotCount)]
            : [Vectors.MemoryOf(slotCount)]);
        _points.EnsureCapacity((int)Math.Clamp(points, 0, slotCount));
        _orderedIds = null; // ordered on first read (OrderedIds), not during the load
    }

    /// <summary>Restores a live point into its saved slot (checkpoint load). False when the slot is out of range or the id repeats.</summary>
    public bool TryRestore(int slot, int slotCount, PreparedPoint point)
    {
        ArgumentNullException.ThrowIfNull(point);
        if ((uint)slot >= (uint)slotCount || _points.ContainsKey(point.Id))
        {
            return false;
        }

        Vectors.Restore(slot, point.Vector, live: true);
        AddRestored(point.Id, slot, ParseMetadata(point.Metadata));
        return true;
    }

    /// <summary>
    /// Restores the entry of a point whose vector <see cref="VectorSlab.RestoreBlock"/> already put live into
    /// <paramref name="slot"/> (checkpoint version 4). False when the slot is not live, already taken, or the id repeats.
    /// </summary>
    public bool TryRestoreEntry(int slot, string id, JsonElement metadata)
    {
        ArgumentNullException.ThrowIfNull(id);
        if (!Vectors.IsLive(slot) || slot >= _bySlot.Length || _bySlot[slot] is not null || _points.ContainsKey(id))
        {
            return false;
        }

        AddRestored(id, slot, metadata);
        return true;
    }

    /// <summary>Ends a checkpoint load: frees the slab's holes (the ids are ordered on first read, <see cref="IdsAfter"/>).</summary>
    public void CompleteRestore() => Vectors.CompleteRestore();

    private void AddRestored(string id, int slot, JsonElement metadata)
    {
        var entry = new PointEntry(id, slot, metadata);
        if (slot >= _bySlot.Length)
        {
            Array.Resize(ref _bySlot, Math.Max(slot + 1, _bySlot.Length * 2));
        }

        _bySlot[slot] = entry;
        MetadataIndexes.Add(slot, entry.Metadata);
        _points.Add(id, entry);
        _orderedIds?.Add(id);

        Interlocked.Increment(ref _count);
    }

    /// <summary>Opens a point-in-time view at <paramref name="lsn"/> (under the write lock); close it with <see cref="CloseSnapshot"/>.</summary>
    public PointSnapshot OpenSnapshot(long lsn)
    {
        var snapshot = new PointSnapshot(_points.Count, lsn);
        _snapshots.Add(snapshot);
        return snapshot;
    }

    /// <summary>Stops keeping pre-images for <paramref name="snapshot"/> (under the write lock).</summary>
    public void CloseSnapshot(PointSnapshot snapshot) => _snapshots.Remove(snapshot);

    /// <summary>Frees the slots of graph nodes a repair routed around; returns how many were freed.</summary>
    public int ReleaseRepaired(List<int> repaired)
    {
        ArgumentNullException.ThrowIfNull(repaired);
        var freed = 0;
        foreach (var slot in repaired)
        {
            if (Vectors.IsRetired(slot))
            {
                Index!.Release(slot);
                Vectors.Release(slot);
                freed++;
            }
        }

        return freed;
    }

    /// <summary>Forgets every point (a collection closed because its storage is damaged holds none).</summary>
    public void Clear()
    {
        _points.Clear();
        _orderedIds = new SortedSet<string>(StringComparer.Ordinal);
        Interlocked.Exchange(ref _count, 0);
    }

    // Copy on write for open views: the pre-image is taken before the point changes (docs/design/export-format.md).
    private void PreserveForSnapshots(string id)
    {
        foreach (var snapshot in _snapshots)
        {
            snapshot.Preserve(id, this);
        }
    }

    private static JsonElement ParseMetadata(byte[]? bytes)
    {
        if (bytes is null)
        {
            return default;
        }

        var reader = new Utf8JsonReader(bytes);
        return JsonElement.ParseValue(ref reader);
    }

    private int AddSlot(float[] vector, PointEntry entry)
    {
        var slot = Vectors.Add(vector);
        if (slot >= _bySlot.Length)
        {
            Array.Resize(ref _bySlot, Math.Max(slot + 1, _bySlot.Length * 2));
        }

        _bySlot[slot] = entry;
        return slot;
    }

    private int ReserveNode(PointEntry entry)
    {
        var index = Index!;
        index.Reserve(entry.Slot, HnswLevels.LevelFor(HnswLevels.HashId(entry.Id), index.M));
        return entry.Slot;
    }

    // The graph keeps a deleted node's vector until a repair; a flat collection frees the slot at once.
    private void RetireSlot(int slot)
    {
        _bySlot[slot] = null;
        if (Index is null)
        {
            Vectors.Remove(slot);
            return;
        }

        Vectors.Retire(slot);
        Index.MarkDeleted(slot);
    }
}
