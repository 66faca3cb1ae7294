using Piramid.Engine.Search.Quantization;

namespace Piramid.Engine.Search.Hnsw;

/// <summary>
/// The graph index for one metric, optionally walking int8 codes. With <c>int8</c> the codes are trained on
/// the first <see cref="Int8TrainingPoints"/> vectors (floats are walked until then), every later vector is
/// encoded as it is reserved, and each search rescores its <c>ef</c> candidates with the float vectors.
/// </summary>
internal sealed class HnswIndex<TDistance>(VectorSlab vectors, int m, int efConstruction, bool int8) : HnswIndex
    where TDistance : struct, IScanDistance
{
    /// <summary>Vectors seen before the quantizer is trained on them.</summary>
    public const int Int8TrainingPoints = 2048;

    private readonly VectorSlab _vectors = vectors;
    private readonly bool _euclidean = typeof(TDistance) == typeof(EuclideanDistance);
    private readonly bool _normalize = typeof(TDistance) == typeof(CosineDistance);

    /// <summary>The graph itself (tests and persistence).</summary>
    public HnswGraph<TDistance> Graph { get; } = new(vectors, m, efConstruction);

    /// <summary>The int8 codes once trained; null for float collections and before training.</summary>
    public Int8VectorStore? Codes { get; private set; }

    public override int M => Graph.M;

    public override int DeletedCount => Graph.DeletedCount;

    public override int LinkedCount => Graph.LinkedCount;

    public override long LinksMade => Graph.LinksMade;

    public override long GraphBytes => Graph.MemoryBytes;

    public override long CodeBytes => Codes is null ? 0 : Codes.Data.LongLength + (Codes.SquaredNorms.LongLength * sizeof(float));

    public override ScalarQuantizer? Quantizer => Codes?.Quantizer;

    internal override PinnedRange Level0MemoryOf(int nodes) => Graph.Level0MemoryOf(nodes);

    public override void EnsureCapacity(int slots)
    {
        Graph.EnsureCapacity(slots);
        Codes?.EnsureCapacity(slots);
    }

    public override void Reserve(int slot, int level)
    {
        Graph.Reserve(slot, level);
        if (!int8)
        {
            return;
        }

        if (Codes is null)
        {
            if (_vectors.Count < Int8TrainingPoints)
            {
                return;
            }

            UseQuantizer(Train());
            return;
        }

        Encode(slot);
    }

    public override Int8VectorStore? CodeStore => Codes;

    public override Int8VectorStore AdoptQuantizer(ScalarQuantizer quantizer, int slots) =>
        Codes = new Int8VectorStore(quantizer, Math.Max(slots, _vectors.Capacity));

    public override void UseQuantizer(ScalarQuantizer quantizer)
    {
        Codes = new Int8VectorStore(quantizer, _vectors.Capacity);
        for (var slot = 0; slot < _vectors.HighWater; slot++)
        {
            if (_vectors.IsLive(slot) || _vectors.IsRetired(slot))
            {
                Encode(slot);
            }
        }
    }

    public override void Link(int slot)
    {
        if (Codes is not { } codes)
        {
            Graph.Link(slot);
            return;
        }

        // The walk runs on the codes (4x fewer bytes per distance); neighbours are still chosen on floats.
        // The buffers are per link, not pooled: a link costs thousands of distances, two small arrays are noise.
        var vector = Prepared(slot);
        var scorer = new Int8Scorer(codes, vector, new sbyte[vector.Length], new short[vector.Length], _euclidean);
        Graph.Link(slot, ref scorer);
    }

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

    internal override List<int> UnreachableLinkedNodes() => Graph.UnreachableLinkedNodes();

    public override int Reconnect() => Graph.Reconnect();

    public override ScoredSlot[] Search(ReadOnlySpan<float> query, int k, int ef, Func<int, bool>? accept)
    {
        var context = SearchContext.Rent(Graph.Capacity);
        try
        {
            ef = Math.Max(ef, k);
            var floats = new FloatScorer<TDistance>(_vectors, query, context.QueryBuffer(query.Length));
            int found;
            if (Codes is { } codes)
            {
                var scorer = new Int8Scorer(codes, Normalized(query, context), context.WeightBuffer(query.Length), context.WideWeightBuffer(query.Length), _euclidean);
                found = Graph.Search(ref scorer, ef, accept, context);
                Rescore(ref floats, context, found);
            }
            else
            {
                found = Graph.Search(ref floats, ef, accept, context);
            }

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

    // Re-ranks the walk's candidates on float scores, through the context's heap (Span.Sort with a comparer
    // allocates; the heap does not).
    private static void Rescore(ref FloatScorer<TDistance> floats, SearchContext context, int found)
    {
        var heap = context.Results;
        heap.Clear();
        foreach (var candidate in context.Found.AsSpan(0, found))
        {
            heap.Push(candidate.Slot, floats.Score(candidate.Slot));
        }

        heap.DrainBestFirst(context.Found);
    }

    private ReadOnlySpan<float> Normalized(ReadOnlySpan<float> query, SearchContext context)
    {
        if (!_normalize)
        {
            return query;
        }

        var buffer = context.ScratchVector(query.Length);
        var inverse = VectorKernels.InverseNorm(query);
        for (var i = 0; i < query.Length; i++)
        {
            buffer[i] = query[i] * inverse;
        }

        return buffer.AsSpan(0, query.Length);
    }

    // Trained on every vector so far (at most the first 16,384 live slots: enough for a per-dimension range).
    private ScalarQuantizer Train()
    {
        var dimension = _vectors.Dimension;
        var sample = new List<float>();
        for (var slot = 0; slot < _vectors.HighWater && sample.Count < 16_384 * dimension; slot++)
        {
            if (_vectors.IsLive(slot))
            {
                sample.AddRange(Prepared(slot));
            }
        }

        return ScalarQuantizer.Train(sample.ToArray(), dimension);
    }

    private void Encode(int slot)
    {
        Codes!.EnsureCapacity(slot + 1);
        if (_normalize)
        {
            Codes.Set(slot, Prepared(slot));
        }
        else
        {
            // Stored as given: encoded straight from the slab, no copy under the write lock.
            Codes.Set(slot, _vectors.Vector(slot));
        }
    }

    // The vector as encoded: unit length for cosine, as stored otherwise.
    private float[] Prepared(int slot)
    {
        var vector = _vectors.Vector(slot).ToArray();
        if (_normalize)
        {
            var inverse = _vectors.InverseNorms[slot];
            for (var i = 0; i < vector.Length; i++)
            {
                vector[i] *= inverse;
            }
        }

        return vector;
    }
}
