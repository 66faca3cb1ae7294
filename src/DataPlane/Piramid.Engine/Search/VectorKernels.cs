using System.Numerics.Tensors;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;

namespace Piramid.Engine.Search;

/// <summary>
/// Float kernels that <see cref="TensorPrimitives"/> does not offer directly. Shaped like TensorPrimitives:
/// spans in, widest vector first (Vector512, then Vector256, Vector128), scalar tail.
/// </summary>
internal static class VectorKernels
{
    /// <summary>
    /// The squared Euclidean distance. TensorPrimitives.Distance takes a square root per call; the scan needs
    /// only an order, so the square root is left to the few results.
    /// </summary>
    public static float SquaredL2(ReadOnlySpan<float> x, ReadOnlySpan<float> y)
    {
        if (x.Length != y.Length)
        {
            ThrowLengthMismatch();
        }

        ref float xr = ref MemoryMarshal.GetReference(x);
        ref float yr = ref MemoryMarshal.GetReference(y);
        nuint length = (nuint)x.Length;
        nuint i = 0;
        float sum = 0f;

        // Four independent accumulators hide the add latency (about 4 cycles) behind the load throughput.
        if (Vector512.IsHardwareAccelerated && length >= (nuint)Vector512<float>.Count)
        {
            Vector512<float> a0 = Vector512<float>.Zero, a1 = a0, a2 = a0, a3 = a0;
            for (; i + (nuint)(4 * Vector512<float>.Count) <= length; i += (nuint)(4 * Vector512<float>.Count))
            {
                a0 = Accumulate512(a0, ref xr, ref yr, i);
                a1 = Accumulate512(a1, ref xr, ref yr, i + (nuint)Vector512<float>.Count);
                a2 = Accumulate512(a2, ref xr, ref yr, i + (nuint)(2 * Vector512<float>.Count));
                a3 = Accumulate512(a3, ref xr, ref yr, i + (nuint)(3 * Vector512<float>.Count));
            }

            for (; i + (nuint)Vector512<float>.Count <= length; i += (nuint)Vector512<float>.Count)
            {
                a0 = Accumulate512(a0, ref xr, ref yr, i);
            }

            sum = Vector512.Sum((a0 + a1) + (a2 + a3));
        }

        if (Vector256.IsHardwareAccelerated && i + (nuint)Vector256<float>.Count <= length)
        {
            Vector256<float> a0 = Vector256<float>.Zero, a1 = a0, a2 = a0, a3 = a0;
            for (; i + (nuint)(4 * Vector256<float>.Count) <= length; i += (nuint)(4 * Vector256<float>.Count))
            {
                a0 = Accumulate256(a0, ref xr, ref yr, i);
                a1 = Accumulate256(a1, ref xr, ref yr, i + (nuint)Vector256<float>.Count);
                a2 = Accumulate256(a2, ref xr, ref yr, i + (nuint)(2 * Vector256<float>.Count));
                a3 = Accumulate256(a3, ref xr, ref yr, i + (nuint)(3 * Vector256<float>.Count));
            }

            for (; i + (nuint)Vector256<float>.Count <= length; i += (nuint)Vector256<float>.Count)
            {
                a0 = Accumulate256(a0, ref xr, ref yr, i);
            }

            sum += Vector256.Sum((a0 + a1) + (a2 + a3));
        }

        if (Vector128.IsHardwareAccelerated && i + (nuint)Vector128<float>.Count <= length)
        {
            Vector128<float> a0 = Vector128<float>.Zero;
            for (; i + (nuint)Vector128<float>.Count <= length; i += (nuint)Vector128<float>.Count)
            {
                Vector128<float> d = Vector128.LoadUnsafe(ref xr, i) - Vector128.LoadUnsafe(ref yr, i);
                a0 = Vector128.FusedMultiplyAdd(d, d, a0);
            }

            sum += Vector128.Sum(a0);
        }

        for (; i < length; i++)
        {
            float d = Unsafe.Add(ref xr, i) - Unsafe.Add(ref yr, i);
            sum = MathF.FusedMultiplyAdd(d, d, sum);
        }

        return sum;
    }

    /// <summary><c>1 / ||x||</c>, or 0 for a zero vector so cosine against it scores 0 instead of NaN.</summary>
    public static float InverseNorm(ReadOnlySpan<float> x)
    {
        float norm = TensorPrimitives.Norm(x);
        return norm > 0f ? 1f / norm : 0f;
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static Vector512<float> Accumulate512(Vector512<float> acc, ref float x, ref float y, nuint offset)
    {
        Vector512<float> d = Vector512.LoadUnsafe(ref x, offset) - Vector512.LoadUnsafe(ref y, offset);
        return Vector512.FusedMultiplyAdd(d, d, acc);
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static Vector256<float> Accumulate256(Vector256<float> acc, ref float x, ref float y, nuint offset)
    {
        Vector256<float> d = Vector256.LoadUnsafe(ref x, offset) - Vector256.LoadUnsafe(ref y, offset);
        return Vector256.FusedMultiplyAdd(d, d, acc);
    }

    private static void ThrowLengthMismatch() =>
        throw new ArgumentException("The vectors must have the same length.");
}
