using Piramid.Engine.Search;

namespace Piramid.Engine.Collections;

/// <summary>Merges a graph walk's hits with the exact hits of the unlinked tail into one ranking.</summary>
internal static class TailMerge
{
    /// <summary>
    /// The best <paramref name="k"/> of both lists (each best first, public scores), a slot once: a node linked while
    /// the search ran can be in both, with the same score.
    /// </summary>
    public static ScoredSlot[] Merge(ScoredSlot[] graph, ScoredSlot[] tail, int k)
    {
        ArgumentNullException.ThrowIfNull(graph);
        ArgumentNullException.ThrowIfNull(tail);
        var merged = new List<ScoredSlot>(Math.Min(k, graph.Length + tail.Length));
        var seen = new HashSet<int>();
        int g = 0, t = 0;
        while (merged.Count < k && (g < graph.Length || t < tail.Length))
        {
            var takeGraph = t == tail.Length || (g < graph.Length && TopK.IsBetter(graph[g], tail[t]));
            var next = takeGraph ? graph[g++] : tail[t++];
            if (seen.Add(next.Slot))
            {
                merged.Add(next);
            }
        }

        return [.. merged];
    }
}
