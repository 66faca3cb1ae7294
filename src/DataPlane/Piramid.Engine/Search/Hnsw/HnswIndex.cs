namespace Piramid.Engine.Search.Hnsw;

/// <summary>
/// A collection's graph index, independent of the metric: the collection talks to this type, and the metric
/// is chosen once here (one specialized graph per metric) instead of on every distance.
/// </summary>
internal abstract class HnswIndex
{
    /// <summary>Builds an empty index over <paramref name="vectors"/>.</summary>
    public static HnswIndex Create(VectorSlab vectors, DistanceMetric metric, int m, int efConstruction, bool int8 = false) => metric switch
    {
        DistanceMetric.Cosine => new HnswIndex<CosineDistance>(vectors, m, efConstruction, int8),
        DistanceMetric.Dot => new HnswIndex<DotDistance>(vectors, m, efConstruction, int8),
        DistanceMetric.Euclidean => new HnswIndex<EuclideanDistance>(vectors, m, efConstruction, int8),
        _ => throw new ArgumentOutOfRangeException(nameof(metric), metric, "Unknown distance metric."),
    };

    /// <summary>Neighbours per node above level 0.</summary>
    public abstract int M { get; }

    /// <summary>Nodes deleted and not yet released by a repair.</summary>
    public abstract int DeletedCount { get; }

    /// <summary>Live linked nodes.</summary>
    public abstract int LinkedCount { get; }

    /// <summary>Nodes linked since this index was created (0 after a load that needed no rebuild).</summary>
    public abstract long LinksMade { get; }

    /// <summary>Bytes held by the graph's arrays (links, levels, states).</summary>
    public abstract long GraphBytes { get; }

    /// <summary>Bytes of int8 codes and their norms (0 without quantization).</summary>
    public abstract long CodeBytes { get; }

    /// <summary>The trained quantizer, or null.</summary>
    public abstract Quantization.ScalarQuantizer? Quantizer { get; }

    /// <summary>Adopts a quantizer (loaded from a checkpoint) and encodes every stored vector with it.</summary>
    public abstract void UseQuantizer(Quantization.ScalarQuantizer quantizer);

    /// <summary>The int8 codes once trained (checkpoints save them); null for float collections and before training.</summary>
    public abstract Quantization.Int8VectorStore? CodeStore { get; }

    /// <summary>
    /// Takes a saved quantizer without encoding anything: the caller restores the saved codes into the returned store
    /// for slots <c>[0, slots)</c> (checkpoint load, collection write lock).
    /// </summary>
    public abstract Quantization.Int8VectorStore AdoptQuantizer(Quantization.ScalarQuantizer quantizer, int slots);

    /// <summary>Makes room for a new node (collection write lock).</summary>
    public abstract void Reserve(int slot, int level);

    /// <summary>Grows the index's arrays to hold <paramref name="slots"/> nodes now, before a write is logged (collection write lock).</summary>
    public abstract void EnsureCapacity(int slots);

    /// <summary>The memory of the level-0 rows of nodes <c>[0, nodes)</c> (the graph's bulk), to fault in ahead of a load.</summary>
    internal abstract PinnedRange Level0MemoryOf(int nodes);

    /// <summary>Links a reserved node (collection read lock; parallel-safe).</summary>
    public abstract void Link(int slot);

    /// <summary>Marks a node deleted (collection write lock).</summary>
    public abstract void MarkDeleted(int slot);

    /// <summary>Routes live nodes around deleted ones (collection read lock); returns the slots to release.</summary>
    public abstract List<int> Repair();

    /// <summary>Frees a repaired deleted node (collection write lock).</summary>
    public abstract void Release(int slot);

    /// <summary>The graph as checkpoint chunks for slots <c>[0, slotCount)</c> (collection read lock).</summary>
    public abstract IEnumerable<byte[]> Save(int slotCount);

    /// <summary>Reads the graph header chunk; returns its slot count.</summary>
    public abstract int LoadHeader(ReadOnlySpan<byte> header);

    /// <summary>Reads a graph node chunk.</summary>
    public abstract void LoadNodes(ReadOnlySpan<byte> chunk, int slotCount);

    /// <summary>Nodes still to link after a load.</summary>
    public abstract IEnumerable<int> ReservedSlots();

    /// <summary>The level of a node.</summary>
    public abstract int LevelOf(int slot);

    /// <summary>True when the slot is a live node (linked or being linked).</summary>
    public abstract bool IsLiveNode(int slot);

    /// <summary>True when the slot is a deleted node not yet released.</summary>
    public abstract bool IsDeletedNode(int slot);

    /// <summary>Linked nodes no walk from the entry point reaches over level 0 (collection read lock; tests).</summary>
    internal abstract List<int> UnreachableLinkedNodes();

    /// <summary>Links the nodes the entry point does not reach back into the graph (collection read lock); returns links added.</summary>
    public abstract int Reconnect();

    /// <summary>
    /// The <paramref name="k"/> best live slots accepted by <paramref name="accept"/>, best first, with public
    /// scores (the metric's <see cref="IScanDistance.ToScore"/>). <paramref name="ef"/> is the candidate list size.
    /// </summary>
    public abstract ScoredSlot[] Search(ReadOnlySpan<float> query, int k, int ef, Func<int, bool>? accept);
}
