namespace Piramid.Engine.Search.Hnsw;

/// <summary>The graph index for one metric.</summary>
internal sealed class HnswIndex<TDistance>(VectorSlab vectors, int m, int efConstruction) : HnswIndex
    where TDistance : struct, IScanDistance
{
    private readonly VectorSlab _vectors = vectors;

    /// <summary>The graph itself (tests and persistence).</summary>
    public HnswGraph<TDistance> Graph { get; } = new(vectors, m, efConstruction);

    public override int M => Graph.M;

    public override int DeletedCount => Graph.DeletedCount;

    public override int LinkedCount => Graph.LinkedCount;

    public override long LinksMade => Graph.LinksMade;

    public override long GraphBytes => Graph.MemoryBytes;

    public override void Reserve(int slot, int level) => Graph.Reserve(slot, level);

    public override void Link(int slot) => Graph.Link(slot);

    public override void MarkDeleted(int slot) => Graph.MarkDeleted(slot);

    public override List<int> Repair() => Graph.Repair();

    public override void Release(int slot) => Graph.Release(slot);

    public override IEnumerable<byte[]> Save(int slotCount) => Graph.Save(slotCount);

    public override int LoadHeader(ReadOnlySpan<byte> header) => Graph.LoadHeader(header);

    public override void LoadNodes(ReadOnlySpan<byte> chunk, int slotCount) => Graph.LoadNodes(chunk, slotCount);

    public override IEnumerable<int> ReservedSlots() => Graph.ReservedSlots();

    public override int LevelOf(int slot) => Graph.LevelOf(slot);

    public override bool IsLiveNode(int slot) => Graph.IsLiveNode(slot);

    public override bool IsDeletedNode(int slot) => Graph.IsDeletedNode(slot);

    public override ScoredSlot[] Search(ReadOnlySpan<float> query, int k, int ef, Func<int, bool>? accept)
    {
        var context = SearchContext.Rent(Graph.Capacity);
        try
        {
            var scorer = new FloatScorer<TDistance>(_vectors, query, context.QueryBuffer(query.Length));
            var found = Graph.Search(ref scorer, Math.Max(ef, k), accept, context);
            var results = new ScoredSlot[Math.Min(k, found)];
            for (var i = 0; i < results.Length; i++)
            {
                var hit = context.Found[i];
                results[i] = new ScoredSlot(hit.Slot, TDistance.ToScore(hit.Score));
            }

            return results;
        }
        finally
        {
            SearchContext.Return(context);
        }
    }
}
