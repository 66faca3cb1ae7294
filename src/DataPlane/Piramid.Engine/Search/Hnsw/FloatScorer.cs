using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
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
    private readonly int _dataOffset;
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
        _dataOffset = slab.DataOffset;
        _inverseNorms = slab.InverseNorms;
        _dimension = slab.Dimension;
    }

    /// <summary>Prepares a stored slot's own vector as the query (linking a node), without a copy.</summary>
    public FloatScorer(VectorSlab slab, int slot)
    {
        _data = slab.Data;
        _dataOffset = slab.DataOffset;
        _inverseNorms = slab.InverseNorms;
        _dimension = slab.Dimension;
        _query = _data;
        _queryOffset = _dataOffset + (slot * _dimension);
        _queryInvNorm = _inverseNorms[slot];
    }

    // Only cosine reads the norms; the tests are on types, so the compiler removes them (and the other branches).
    // Marked for inlining: Native AOT compiled both as calls (three a distance inside the walk), and the calls
    // made the dot product's loop reload its two pointers from the stack on every step (docs/design/hnsw.md).
    private static bool UsesNorms
    {
        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        get => typeof(TDistance) == typeof(CosineDistance);
    }

    private static bool IsEuclidean
    {
        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        get => typeof(TDistance) == typeof(EuclideanDistance);
    }

    // The same arithmetic as the metric's RawScore, on references instead of spans: the graph guarantees every
    // slot it scores is inside the slab (rows hold valid slots, arrays grow only under the write lock), and the
    // span checks and TensorPrimitives' dispatch cost as much as the 256-d dot product itself.
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public float Score(int slot)
    {
        ref var query = ref Unsafe.Add(ref MemoryMarshal.GetArrayDataReference(_query), (nint)_queryOffset);
        ref var vector = ref Unsafe.Add(ref MemoryMarshal.GetArrayDataReference(_data), _dataOffset + ((nint)slot * _dimension));
        if (IsEuclidean)
        {
            return -VectorKernels.SquaredL2(ref query, ref vector, (nuint)_dimension);
        }

        var dot = VectorKernels.Dot(ref query, ref vector, (nuint)_dimension);
        return UsesNorms ? dot * _queryInvNorm * Unsafe.Add(ref MemoryMarshal.GetArrayDataReference(_inverseNorms), slot) : dot;
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public void Prefetch(int slot)
    {
        if (Sse.IsSupported)
        {
            // Every line of the vector: one random read of a whole vector is what a step of the walk waits on.
            // Four lines a step: the loop was a third of the walk's instructions outside the dot product at
            // 256-d (callgrind). Lines past the vector's end and a stale address after a GC move are harmless:
            // a prefetch never faults.
            if (UsesNorms)
            {
                // Cosine multiplies by the slot's inverse norm: another random read, in a separate array.
                Sse.Prefetch0(Unsafe.AsPointer(ref Unsafe.Add(ref MemoryMarshal.GetArrayDataReference(_inverseNorms), slot)));
            }

            var line = (byte*)Unsafe.AsPointer(ref Unsafe.Add(ref MemoryMarshal.GetArrayDataReference(_data), _dataOffset + ((nint)slot * _dimension)));
            var end = line + (_dimension * sizeof(float));
            for (; line < end; line += 256)
            {
                Sse.Prefetch0(line);
                Sse.Prefetch0(line + 64);
                Sse.Prefetch0(line + 128);
                Sse.Prefetch0(line + 192);
            }
        }
    }
}
