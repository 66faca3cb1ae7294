using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
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
    private readonly short[] _weights;
    private readonly int _stride;
    private readonly int _dimension;
    private readonly float _constant;
    private readonly float _dotFactor;
    private readonly bool _euclidean;

    /// <summary>
    /// Prepares <paramref name="query"/> (already normalized for cosine) against the store's arrays;
    /// <paramref name="weights"/> and <paramref name="wideWeights"/> are buffers of at least the dimension.
    /// </summary>
    public Int8Scorer(Int8VectorStore store, ReadOnlySpan<float> query, sbyte[] weights, short[] wideWeights, bool euclidean)
    {
        _codes = store.Data;
        _squaredNorms = store.SquaredNorms;
        _stride = store.Stride;
        _dimension = store.Dimension;
        store.Quantizer.PrepareQuery(query, weights.AsSpan(0, _dimension), out var scale, out var bias);
        Int8QueryKernels.Widen(weights.AsSpan(0, _dimension), wideWeights.AsSpan(0, _dimension));
        _weights = wideWeights;
        var factor = euclidean ? 2f : 1f;
        _constant = factor * bias;
        _dotFactor = factor * scale;
        _euclidean = euclidean;
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public float Score(int slot)
    {
        // Slots come from the graph's rows, always inside the store (codes grow with the graph, under the write lock).
        var dot = Int8QueryKernels.Dot(
            ref Unsafe.Add(ref MemoryMarshal.GetArrayDataReference(_codes), (nint)slot * _stride),
            ref MemoryMarshal.GetArrayDataReference(_weights),
            (nuint)_dimension);
        var score = _constant + (_dotFactor * dot);

        // Only Euclidean needs the norm: cosine and dot skip a random read of the norms array.
        return _euclidean ? score - Unsafe.Add(ref MemoryMarshal.GetArrayDataReference(_squaredNorms), slot) : score;
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public void Prefetch(int slot)
    {
        if (Sse.IsSupported)
        {
            // A stale address after a GC move is harmless: a prefetch never faults.
            var line = (byte*)Unsafe.AsPointer(ref Unsafe.Add(ref MemoryMarshal.GetArrayDataReference(_codes), (nint)slot * _stride));
            var end = line + _dimension;
            for (; line < end; line += 64)
            {
                Sse.Prefetch0(line);
            }
        }
    }
}
