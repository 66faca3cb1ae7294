namespace Piramid.Engine.Search.Hnsw;

/// <summary>The order of a <see cref="ScoreHeap{TOrder}"/>, as a type.</summary>
internal interface IHeapOrder
{
    /// <summary>True for a max-heap (best on top), false for a min-heap (worst on top).</summary>
    static abstract bool IsMaxHeap { get; }
}

/// <summary>A max-heap: the best score on top (the search frontier).</summary>
internal readonly struct BestOnTop : IHeapOrder
{
    public static bool IsMaxHeap => true;
}

/// <summary>A min-heap: the worst score on top (the bounded result set).</summary>
internal readonly struct WorstOnTop : IHeapOrder
{
    public static bool IsMaxHeap => false;
}
