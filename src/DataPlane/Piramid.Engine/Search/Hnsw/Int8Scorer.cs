using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics.X86;
using Piramid.Engine.Search.Quantization;

namespace Piramid.Engine.Search.Hnsw;

/// <summary>
/// Scores slots on their int8 codes (docs/design/int8-quantization.md): one integer dot product per slot,
/// <c>q·x ≈ bias + scale·(w·code)</c>, and for Euclidean <c>−‖q−x‖² ≈ 2(q·x) − ‖x̂‖² − ‖q‖²</c> (the last term is
/// the same for every slot and dropped). A quarter of the float bytes per distance; the caller rescores the
/// candidates with the float vectors.
/// </summary>
internal readonly unsafe struct Int8Scorer : IQueryScorer
{
    private readonly byte[] _codes;
    private readonly float[] _squaredNorms;
    private readonly sbyte[] _weights;
    private readonly int _stride;
    private readonly int _dimension;
    private readonly float _constant;
    private readonly float _dotFactor;
    private readonly bool _euclidean;

    /// <summary>Prepares <paramref name="query"/> (already normalized for cosine) against the store's arrays.</summary>
    public Int8Scorer(Int8VectorStore store, ReadOnlySpan<float> query, sbyte[] weights, bool euclidean)
    {
        _codes = store.Data;
        _squaredNorms = store.SquaredNorms;
        _stride = store.Stride;
        _dimension = store.Dimension;
        _weights = weights;
        store.Quantizer.PrepareQuery(query, weights.AsSpan(0, _dimension), out var scale, out var bias);
        var factor = euclidean ? 2f : 1f;
        _constant = factor * bias;
        _dotFactor = factor * scale;
        _euclidean = euclidean;
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public float Score(int slot)
    {
        var dot = Int8Kernels.DotU8I8(new ReadOnlySpan<byte>(_codes, slot * _stride, _dimension), new ReadOnlySpan<sbyte>(_weights, 0, _dimension));
        var score = _constant + (_dotFactor * dot);

        // Only Euclidean needs the norm: cosine and dot skip a random read of the norms array.
        return _euclidean ? score - _squaredNorms[slot] : score;
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public void Prefetch(int slot)
    {
        if (Sse.IsSupported)
        {
            fixed (byte* start = &_codes[slot * _stride])
            {
                Sse.Prefetch0(start);
                Sse.Prefetch0(start + 64);
                Sse.Prefetch0(start + 128);
                Sse.Prefetch0(start + 192);
            }
        }
    }
}
