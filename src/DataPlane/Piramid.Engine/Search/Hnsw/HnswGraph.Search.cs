using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;

namespace Piramid.Engine.Search.Hnsw;

/// <summary>The graph walk: greedy descent through the upper levels, then a best-first search of one level.</summary>
internal sealed partial class HnswGraph<TDistance>
{
    /// <summary>
    /// Searches for the <paramref name="ef"/> best returnable nodes accepted by <paramref name="accept"/>
    /// (null accepts all), scored by <paramref name="scorer"/>. They are left in <c>context.Found</c>, best
    /// first; returns their number.
    /// </summary>
    public int Search<TScorer>(ref TScorer scorer, int ef, Func<int, bool>? accept, SearchContext context)
        where TScorer : struct, IQueryScorer
    {
        var entry = Volatile.Read(ref _entry);
        if (entry.Slot == NoNode)
        {
            return 0;
        }

        var current = entry.Slot;
        var currentScore = scorer.Score(current);
        for (var level = entry.Level; level > 0; level--)
        {
            (current, currentScore) = Greedy(ref scorer, current, currentScore, level);
        }

        return SearchLayer(ref scorer, context, current, currentScore, Math.Max(ef, 1), 0, accept);
    }

    /// <summary>Float search of the <paramref name="k"/> best nodes (raw scores), for tests and benchmarks.</summary>
    public ScoredSlot[] Search(ReadOnlySpan<float> query, int k, int ef, Func<int, bool>? accept)
    {
        var context = SearchContext.Rent(Capacity);
        try
        {
            var scorer = new FloatScorer<TDistance>(_vectors, query, context.QueryBuffer(query.Length));
            var found = Search(ref scorer, Math.Max(ef, k), accept, context);
            return context.Found.AsSpan(0, Math.Min(k, found)).ToArray();
        }
        finally
        {
            SearchContext.Return(context);
        }
    }

    private (int Slot, float Score) Greedy<TScorer>(ref TScorer scorer, int current, float currentScore, int level)
        where TScorer : struct, IQueryScorer
    {
        for (var improved = true; improved;)
        {
            improved = false;
            var row = Row(current, level);
            for (var i = 0; i < row.Length; i++)
            {
                var neighbour = row[i];
                var score = scorer.Score(neighbour);
                if (score > currentScore)
                {
                    (current, currentScore, improved) = (neighbour, score, true);
                }
            }
        }

        return (current, currentScore);
    }

    // Best-first search of one level (hnswlib's searchBaseLayer): the frontier grows only with nodes that could
    // enter the result set; nodes the filter rejects are still walked through, so a filter never cuts the graph.
    // The loop reads the visited marks, the rows and the states through references: every slot in a row is a
    // node of the graph (rows are written with valid slots only, loads check them), the marks cover the graph's
    // capacity (SearchContext.Rent) and no array is replaced while a search holds the read lock.
    private int SearchLayer<TScorer>(ref TScorer scorer, SearchContext context, int entry, float entryScore, int ef, int level, Func<int, bool>? accept)
        where TScorer : struct, IQueryScorer
    {
        var candidates = context.Candidates;
        var results = context.Results;
        candidates.Clear();
        results.Clear();
        context.NewGeneration();
        var generation = context.Generation;
        ref var marks = ref MemoryMarshal.GetArrayDataReference(context.Marks);
        ref var fresh = ref MemoryMarshal.GetArrayDataReference(context.Fresh);
        Unsafe.Add(ref marks, entry) = generation;
        candidates.Push(entry, entryScore);
        if (Returnable(entry, accept))
        {
            results.Push(entry, entryScore);
        }

        var floor = results.Count >= ef ? results.Top.Score : float.NegativeInfinity;
        while (candidates.Count > 0)
        {
            var candidate = candidates.Top;
            if (candidate.Score < floor)
            {
                break;
            }

            candidates.Pop();

            // The unvisited neighbours are gathered first, then scored, each prefetching the next one's
            // vector: one random read of a whole vector is what a step of the walk waits on. Prefetching all
            // of them at once measured slower (32 vectors of 3 KB overflow the L1 cache).
            var row = level == 0 ? Row0(candidate.Slot) : Row(candidate.Slot, level);
            var freshCount = 0;
            foreach (var neighbour in row)
            {
                ref var mark = ref Unsafe.Add(ref marks, neighbour);
                if (mark != generation)
                {
                    mark = generation;
                    Unsafe.Add(ref fresh, freshCount++) = neighbour;
                }
            }

            if (freshCount > 0)
            {
                scorer.Prefetch(Unsafe.Add(ref fresh, 0));
            }

            for (var i = 0; i < freshCount; i++)
            {
                var neighbour = Unsafe.Add(ref fresh, i);
                if (i + 1 < freshCount)
                {
                    scorer.Prefetch(Unsafe.Add(ref fresh, i + 1));
                }

                var score = scorer.Score(neighbour);
                if (results.Count >= ef && !(score > floor))
                {
                    continue;
                }

                candidates.Push(neighbour, score);
                if (Returnable(neighbour, accept))
                {
                    // A full set drops its worst for this better node (the check above): one sift-down.
                    if (results.Count >= ef)
                    {
                        results.ReplaceTop(neighbour, score);
                    }
                    else
                    {
                        results.Push(neighbour, score);
                    }

                    if (results.Count >= ef)
                    {
                        floor = results.Top.Score;
                    }
                }
            }
        }

        context.EnsureFound(results.Count);
        return results.DrainBestFirst(context.Found);
    }

    // A level-0 row without bounds checks (the hot path of every walk); the count is clamped to the row.
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private ReadOnlySpan<int> Row0(int slot)
    {
        ref var row = ref Unsafe.Add(ref MemoryMarshal.GetArrayDataReference(_links0), (nint)slot * Stride);
        var count = Math.Min(Volatile.Read(ref row), M0);
        return MemoryMarshal.CreateReadOnlySpan(ref Unsafe.Add(ref row, 1), count);
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private bool Returnable(int slot, Func<int, bool>? accept)
    {
        var state = Unsafe.Add(ref MemoryMarshal.GetArrayDataReference(_states), slot);
        return state is NodeState.Linked or NodeState.Reserved && (accept is null || accept(slot));
    }
}
