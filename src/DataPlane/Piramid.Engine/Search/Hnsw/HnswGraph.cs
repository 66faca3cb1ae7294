namespace Piramid.Engine.Search.Hnsw;

/// <summary>
/// A hierarchical navigable small-world graph over the slots of a <see cref="VectorSlab"/> (Malkov and
/// Yashunin). Level 0 keeps up to <c>2·M</c> neighbours per node in one flat array; upper levels, which hold
/// few nodes, keep <c>M</c> per node per level. Scores are the metric's raw scan scores (higher is closer).
/// First cut: inserts are serialized by the caller (one writer), searches run under the caller's read lock.
/// Deleted slots stay in the graph as stepping stones (their vectors must stay in the slab until a compaction
/// rebuilds the links around them) and are never returned.
/// </summary>
internal sealed class HnswGraph<TDistance>
    where TDistance : struct, IScanDistance
{
    private const int NoNode = -1;

    private readonly VectorSlab _vectors;
    private readonly int _m;
    private readonly int _m0;
    private readonly int _efConstruction;
    private readonly double _levelFactor;
    private readonly Random _random;
    private int[] _level0 = [];
    private int[] _level0Count = [];
    private int[][]?[] _upper = [];
    private int[] _levels = [];
    private bool[] _deleted = [];
    private int _entry = NoNode;
    private int _maxLevel = -1;

    /// <summary>Creates an empty graph over <paramref name="vectors"/>.</summary>
    public HnswGraph(VectorSlab vectors, int m, int efConstruction, int seed = 42)
    {
        ArgumentNullException.ThrowIfNull(vectors);
        ArgumentOutOfRangeException.ThrowIfLessThan(m, 2);
        ArgumentOutOfRangeException.ThrowIfLessThan(efConstruction, 1);
        _vectors = vectors;
        _m = m;
        _m0 = 2 * m;
        _efConstruction = Math.Max(efConstruction, m);
        _levelFactor = 1 / Math.Log(m);
        _random = new Random(seed);
    }

    /// <summary>Nodes in the graph (live or deleted).</summary>
    public int Count { get; private set; }

    /// <summary>Links <paramref name="slot"/> (already in the slab) into the graph.</summary>
    public void Insert(int slot)
    {
        EnsureCapacity(slot + 1);
        var level = (int)(-Math.Log(1 - _random.NextDouble()) * _levelFactor);
        _levels[slot] = level;
        _upper[slot] = level == 0 ? null : new int[level][];
        for (var l = 1; l <= level; l++)
        {
            _upper[slot]![l - 1] = NewList(_m);
        }

        Count++;
        if (_entry == NoNode)
        {
            _entry = slot;
            _maxLevel = level;
            return;
        }

        var query = _vectors.Get(slot);
        var queryInvNorm = _vectors.InverseNorm(slot);
        var current = _entry;
        var currentScore = Score(query, queryInvNorm, current);
        for (var l = _maxLevel; l > level; l--)
        {
            (current, currentScore) = Greedy(query, queryInvNorm, current, currentScore, l);
        }

        for (var l = Math.Min(level, _maxLevel); l >= 0; l--)
        {
            var candidates = SearchLayer(query, queryInvNorm, current, _efConstruction, l, accept: null);
            var maxLinks = l == 0 ? _m0 : _m;
            var chosen = SelectNeighbours(candidates, _m);
            foreach (var (neighbour, _) in chosen)
            {
                AddLink(slot, neighbour, l, maxLinks);
                AddLink(neighbour, slot, l, maxLinks);
            }

            current = candidates[0].Slot;
        }

        if (level > _maxLevel)
        {
            _maxLevel = level;
            _entry = slot;
        }
    }

    /// <summary>Marks a node deleted: never returned again, still walked through.</summary>
    public void MarkDeleted(int slot)
    {
        if ((uint)slot < (uint)_deleted.Length && !_deleted[slot])
        {
            _deleted[slot] = true;
            DeletedCount++;
        }
    }

    /// <summary>Nodes marked deleted (compaction is due when they are a large fraction of <see cref="Count"/>).</summary>
    public int DeletedCount { get; private set; }

    /// <summary>The best <paramref name="k"/> live slots accepted by <paramref name="accept"/>, best first (raw scores).</summary>
    public ScoredSlot[] Search(ReadOnlySpan<float> query, int k, int ef, Func<int, bool>? accept)
    {
        if (_entry == NoNode || k < 1)
        {
            return [];
        }

        var queryInvNorm = InverseNorm(query);
        var current = _entry;
        var currentScore = Score(query, queryInvNorm, current);
        for (var l = _maxLevel; l > 0; l--)
        {
            (current, currentScore) = Greedy(query, queryInvNorm, current, currentScore, l);
        }

        var found = SearchLayer(query, queryInvNorm, current, Math.Max(ef, k), 0, accept);
        return [.. found.Take(k)];
    }

    /// <summary>Neighbours of a node at a level (for tests of the structure).</summary>
    public ReadOnlySpan<int> Neighbours(int slot, int level) =>
        level == 0 ? _level0.AsSpan(slot * _m0, _level0Count[slot]) : _upper[slot]![level - 1].AsSpan(1, _upper[slot]![level - 1][0]);

    private (int Slot, float Score) Greedy(ReadOnlySpan<float> query, float queryInvNorm, int current, float currentScore, int level)
    {
        for (var improved = true; improved;)
        {
            improved = false;
            foreach (var neighbour in Neighbours(current, level))
            {
                var score = Score(query, queryInvNorm, neighbour);
                if (score > currentScore)
                {
                    (current, currentScore, improved) = (neighbour, score, true);
                }
            }
        }

        return (current, currentScore);
    }

    // Best-first search of one level: candidates by best score, results keep the ef best seen (accepted ones only).
    private List<ScoredSlot> SearchLayer(ReadOnlySpan<float> query, float queryInvNorm, int entry, int ef, int level, Func<int, bool>? accept)
    {
        var visited = new HashSet<int> { entry };
        var candidates = new PriorityQueue<int, float>();
        var results = new PriorityQueue<int, float>(); // worst on top
        var entryScore = Score(query, queryInvNorm, entry);
        candidates.Enqueue(entry, -entryScore);
        if (Returnable(entry, accept))
        {
            results.Enqueue(entry, entryScore);
        }

        while (candidates.TryDequeue(out var node, out var negative))
        {
            if (results.Count >= ef && results.TryPeek(out _, out var worst) && -negative < worst)
            {
                break;
            }

            foreach (var neighbour in Neighbours(node, level))
            {
                if (!visited.Add(neighbour))
                {
                    continue;
                }

                var score = Score(query, queryInvNorm, neighbour);
                var full = results.Count >= ef;
                if (full && results.TryPeek(out _, out var floor) && score <= floor)
                {
                    continue;
                }

                // Rejected nodes are still walked through: a filter must not cut the graph.
                candidates.Enqueue(neighbour, -score);
                if (Returnable(neighbour, accept))
                {
                    results.Enqueue(neighbour, score);
                    if (results.Count > ef)
                    {
                        results.Dequeue();
                    }
                }
            }
        }

        var list = new List<ScoredSlot>(results.Count);
        while (results.TryDequeue(out var slot, out var score))
        {
            list.Add(new ScoredSlot(slot, score));
        }

        list.Reverse();
        return list;
    }

    private bool Returnable(int slot, Func<int, bool>? accept) => !_deleted[slot] && (accept is null || accept(slot));

    // The heuristic of the paper: keep a candidate only if it is closer to the new node than to every neighbour
    // kept so far, so links spread in all directions instead of clustering.
    private List<ScoredSlot> SelectNeighbours(List<ScoredSlot> candidates, int m)
    {
        var kept = new List<ScoredSlot>(m);
        foreach (var candidate in candidates)
        {
            if (kept.Count == m)
            {
                break;
            }

            var vector = _vectors.Get(candidate.Slot);
            var invNorm = _vectors.InverseNorm(candidate.Slot);
            var diverse = true;
            foreach (var other in kept)
            {
                if (TDistance.RawScore(vector, _vectors.Get(other.Slot), invNorm, _vectors.InverseNorm(other.Slot)) > candidate.Score)
                {
                    diverse = false;
                    break;
                }
            }

            if (diverse)
            {
                kept.Add(candidate);
            }
        }

        return kept;
    }

    private void AddLink(int from, int to, int level, int maxLinks)
    {
        if (from == to)
        {
            return;
        }

        if (level == 0)
        {
            var count = _level0Count[from];
            var links = _level0.AsSpan(from * _m0, _m0);
            if (links[..count].Contains(to))
            {
                return;
            }

            if (count < maxLinks)
            {
                links[count] = to;
                _level0Count[from] = count + 1;
                return;
            }

            var pruned = Prune(from, [.. links[..count], to], maxLinks);
            pruned.CopyTo(links);
            _level0Count[from] = pruned.Length;
            return;
        }

        var list = _upper[from]![level - 1];
        var n = list[0];
        if (list.AsSpan(1, n).Contains(to))
        {
            return;
        }

        if (n < maxLinks)
        {
            list[1 + n] = to;
            list[0] = n + 1;
            return;
        }

        var kept = Prune(from, [.. list.AsSpan(1, n), to], maxLinks);
        kept.CopyTo(list.AsSpan(1));
        list[0] = kept.Length;
    }

    // A full neighbour list is re-chosen with the same heuristic, from the node's point of view.
    private int[] Prune(int node, int[] links, int maxLinks)
    {
        var vector = _vectors.Get(node);
        var invNorm = _vectors.InverseNorm(node);
        var scored = new List<ScoredSlot>(links.Length);
        foreach (var link in links)
        {
            scored.Add(new ScoredSlot(link, TDistance.RawScore(vector, _vectors.Get(link), invNorm, _vectors.InverseNorm(link))));
        }

        scored.Sort((a, b) => b.Score.CompareTo(a.Score));
        return [.. SelectNeighbours(scored, maxLinks).Select(s => s.Slot)];
    }

    private float Score(ReadOnlySpan<float> query, float queryInvNorm, int slot) =>
        TDistance.RawScore(query, _vectors.Get(slot), queryInvNorm, _vectors.InverseNorm(slot));

    private static float InverseNorm(ReadOnlySpan<float> vector)
    {
        var norm = MathF.Sqrt(System.Numerics.Tensors.TensorPrimitives.Dot(vector, vector));
        return norm > 0 ? 1 / norm : 0;
    }

    private static int[] NewList(int capacity) => new int[1 + capacity];

    private void EnsureCapacity(int needed)
    {
        if (needed <= _levels.Length)
        {
            return;
        }

        var capacity = Math.Max(needed, Math.Max(1024, _levels.Length * 2));
        Array.Resize(ref _levels, capacity);
        Array.Resize(ref _deleted, capacity);
        Array.Resize(ref _upper, capacity);
        Array.Resize(ref _level0Count, capacity);
        Array.Resize(ref _level0, capacity * _m0);
    }
}
