using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics.X86;

namespace Piramid.Engine.Search.Hnsw;

/// <summary>The graph walk: greedy descent through the upper levels, then a best-first search of one level.</summary>
internal sealed partial class HnswGraph<TDistance>
{
    // Vectors prefetched ahead of the one being scored (measured in docs/design/hnsw.md, "Memory behaviour").
    private const int PrefetchAhead = 2;

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
        var visited = 1;
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

            // The next node to expand is the frontier's top unless this step finds a better one: its row is the
            // first read of the next step and otherwise a cache miss the walk waits on (callgrind: most of these
            // reads missed the last-level cache). Prefetched now, it arrives while this step scores.
            var top = candidates.Count > 0 ? candidates.Top.Slot : NoNode;
            if (level == 0 && top != NoNode)
            {
                PrefetchRow0(top);
            }

            // The unvisited neighbours are gathered first, then scored, each prefetching the vector PrefetchAhead
            // places ahead: one random read of a whole vector is what a step of the walk waits on, and one
            // distance is too short to hide it. Prefetching all of them at once measured slower (32 vectors of
            // 1-3 KB overflow the L1 cache).
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

            visited += freshCount;
            for (var i = 0; i < Math.Min(PrefetchAhead, freshCount); i++)
            {
                scorer.Prefetch(Unsafe.Add(ref fresh, i));
            }

            for (var i = 0; i < freshCount; i++)
            {
                var neighbour = Unsafe.Add(ref fresh, i);
                if (i + PrefetchAhead < freshCount)
                {
                    scorer.Prefetch(Unsafe.Add(ref fresh, i + PrefetchAhead));
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

            // A better node was found: its row instead.
            if (level == 0 && candidates.Count > 0 && candidates.Top.Slot != top)
            {
                PrefetchRow0(candidates.Top.Slot);
            }
        }

        context.AddVisited(visited);
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

    // Both lines a row of 2·M links can span (33 ints at M = 16), so the count and the first links arrive together.
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private unsafe void PrefetchRow0(int slot)
    {
        if (Sse.IsSupported)
        {
            var row = (byte*)Unsafe.AsPointer(ref Unsafe.Add(ref MemoryMarshal.GetArrayDataReference(_links0), (nint)slot * Stride));
            Sse.Prefetch0(row);
            Sse.Prefetch0(row + 64);
        }
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private bool Returnable(int slot, Func<int, bool>? accept)
    {
        var state = Unsafe.Add(ref MemoryMarshal.GetArrayDataReference(_states), slot);
        return state is NodeState.Linked or NodeState.Reserved && (accept is null || accept(slot));
    }
}
