namespace Piramid.Engine.Search.Hnsw;

/// <summary>
/// The per-thread scratch state of a graph search: a visited set stamped with a generation (cleared in O(1)),
/// the two heaps and buffers for neighbour selection. Pooled per thread, so a steady-state search allocates
/// nothing but its result array.
/// </summary>
/// <remarks>
/// The marks are 16 bits, as in hnswlib: every scored neighbour reads one at a random slot, and half the bytes
/// keep twice as many of them in the caches (200 KB for 100,000 nodes). The marks are cleared once every
/// 65,535 searches, when the generation wraps.
/// </remarks>
internal sealed class SearchContext
{
    [ThreadStatic]
    private static SearchContext? _current;

    [ThreadStatic]
    private static int _lastVisited;

    private ushort[] _marks = [];
    private ushort _generation;
    private int _visited;

    /// <summary>Nodes the last search returned on this thread visited (for the engine's metrics).</summary>
    public static int LastVisited => _lastVisited;

    public ScoreHeap<BestOnTop> Candidates { get; } = new();

    public ScoreHeap<WorstOnTop> Results { get; } = new();

    /// <summary>Unvisited neighbours of the node being expanded (a row holds at most 2·M ≤ 256).</summary>
    public int[] Fresh { get; } = new int[256];

    /// <summary>Layer results, best first.</summary>
    public ScoredSlot[] Found { get; private set; } = new ScoredSlot[256];

    /// <summary>Scratch for neighbour selection and pruning.</summary>
    public ScoredSlot[] Scratch { get; private set; } = new ScoredSlot[256];

    private float[] _query = [];

    /// <summary>A buffer for a copy of the query (scorers are structs and cannot hold a span).</summary>
    public float[] QueryBuffer(int dimension)
    {
        if (_query.Length < dimension)
        {
            _query = new float[dimension];
        }

        return _query;
    }

    private sbyte[] _weights = [];
    private float[] _vector = [];

    /// <summary>A buffer for a query's int8 weights.</summary>
    public sbyte[] WeightBuffer(int dimension)
    {
        if (_weights.Length < dimension)
        {
            _weights = new sbyte[dimension];
        }

        return _weights;
    }

    private short[] _wideWeights = [];

    /// <summary>A buffer for a query's int8 weights widened to 16 bits.</summary>
    public short[] WideWeightBuffer(int dimension)
    {
        if (_wideWeights.Length < dimension)
        {
            _wideWeights = new short[dimension];
        }

        return _wideWeights;
    }

    /// <summary>A second float buffer (the normalized query for cosine codes).</summary>
    public float[] ScratchVector(int dimension)
    {
        if (_vector.Length < dimension)
        {
            _vector = new float[dimension];
        }

        return _vector;
    }

    /// <summary>Takes this thread's context (a nested search on the same thread gets a fresh one).</summary>
    public static SearchContext Rent(int nodes)
    {
        var context = _current ?? new SearchContext();
        _current = null;
        context.Prepare(nodes);
        return context;
    }

    public static void Return(SearchContext context)
    {
        _lastVisited = context._visited;
        _current = context;
    }

    /// <summary>The visited marks, one per graph slot: a slot is visited when its mark equals <see cref="Generation"/>.</summary>
    public ushort[] Marks => _marks;

    /// <summary>The current search's generation.</summary>
    public ushort Generation => _generation;

    /// <summary>Marks a node visited; false when it already was in this search.</summary>
    public bool Visit(int node)
    {
        if (_marks[node] == _generation)
        {
            return false;
        }

        _marks[node] = _generation;
        _visited++;
        return true;
    }

    /// <summary>Counts nodes a walk marked visited itself (through <see cref="Marks"/>), for <see cref="LastVisited"/>.</summary>
    public void AddVisited(int count) => _visited += count;

    public void EnsureFound(int count)
    {
        if (Found.Length < count)
        {
            Found = new ScoredSlot[Math.Max(count, Found.Length * 2)];
        }
    }

    public void EnsureScratch(int count)
    {
        if (Scratch.Length < count)
        {
            Scratch = new ScoredSlot[Math.Max(count, Scratch.Length * 2)];
        }
    }

    /// <summary>Starts a new search: a new generation, so every mark of the previous one is stale.</summary>
    public void NewGeneration()
    {
        if (++_generation == ushort.MaxValue)
        {
            Array.Clear(_marks);
            _generation = 1;
        }
    }

    private void Prepare(int nodes)
    {
        if (_marks.Length < nodes)
        {
            Array.Resize(ref _marks, Math.Max(nodes, _marks.Length * 2));
        }

        Candidates.Clear();
        Results.Clear();
        _visited = 0;
        NewGeneration();
    }
}
