using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics.X86;

namespace Piramid.Engine.Search.Hnsw;

/// <summary>Scores slots of a <see cref="VectorSlab"/> with the metric's float kernel.</summary>
internal readonly unsafe struct FloatScorer<TDistance> : IQueryScorer
    where TDistance : struct, IScanDistance
{
    private readonly float[] _query;
    private readonly int _queryOffset;
    private readonly float _queryInvNorm;
    private readonly float[] _data;
    private readonly float[] _inverseNorms;
    private readonly int _dimension;

    /// <summary>Prepares <paramref name="query"/> (copied into <paramref name="buffer"/>) against the slab's current arrays.</summary>
    public FloatScorer(VectorSlab slab, ReadOnlySpan<float> query, float[] buffer)
    {
        query.CopyTo(buffer);
        _query = buffer;
        _queryOffset = 0;
        _queryInvNorm = VectorKernels.InverseNorm(query);
        _data = slab.Data;
        _inverseNorms = slab.InverseNorms;
        _dimension = slab.Dimension;
    }

    /// <summary>Prepares a stored slot's own vector as the query (linking a node), without a copy.</summary>
    public FloatScorer(VectorSlab slab, int slot)
    {
        _data = slab.Data;
        _inverseNorms = slab.InverseNorms;
        _dimension = slab.Dimension;
        _query = _data;
        _queryOffset = slot * _dimension;
        _queryInvNorm = _inverseNorms[slot];
    }

    // Only cosine reads the norms; the test is on a type, so the JIT removes it (and the other branch).
    private static bool UsesNorms => typeof(TDistance) == typeof(CosineDistance);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public float Score(int slot) =>
        TDistance.RawScore(
            new ReadOnlySpan<float>(_query, _queryOffset, _dimension),
            new ReadOnlySpan<float>(_data, slot * _dimension, _dimension),
            _queryInvNorm,
            UsesNorms ? _inverseNorms[slot] : 0f);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public void Prefetch(int slot)
    {
        if (Sse.IsSupported)
        {
            // Every line of the vector: one random read of a whole vector is what a step of the walk waits on.
            fixed (float* start = &_data[slot * _dimension])
            {
                var bytes = _dimension * sizeof(float);
                for (var offset = 0; offset < bytes; offset += 64)
                {
                    Sse.Prefetch0((byte*)start + offset);
                }
            }
        }
    }
}
