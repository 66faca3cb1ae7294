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

        return SquaredL2(ref MemoryMarshal.GetReference(x), ref MemoryMarshal.GetReference(y), (nuint)x.Length);
    }

    /// <summary>The squared Euclidean distance of <paramref name="length"/> floats from two references (no checks).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static float SquaredL2(ref float xr, ref float yr, nuint length) => SquaredL2<AllWidths>(ref xr, ref yr, length);

    /// <summary>The squared Euclidean distance through the widths <typeparamref name="TWidths"/> allows.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    internal static float SquaredL2<TWidths>(ref float xr, ref float yr, nuint length)
        where TWidths : IKernelWidths
    {
        nuint i = 0;
        float sum = 0f;

        // Four independent accumulators hide the add latency (about 4 cycles) behind the load throughput.
        if (TWidths.Allow512 && Vector512.IsHardwareAccelerated && length >= (nuint)Vector512<float>.Count)
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

        if (TWidths.Allow256 && Vector256.IsHardwareAccelerated && i + (nuint)Vector256<float>.Count <= length)
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

        if (TWidths.Allow128 && Vector128.IsHardwareAccelerated && i + (nuint)Vector128<float>.Count <= length)
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

    /// <summary>
    /// The dot product of <paramref name="length"/> floats from two references, without the span checks and
    /// the dispatch of TensorPrimitives.Dot: the graph walk calls it once per visited node, and at 256
    /// dimensions that fixed cost was as large as the arithmetic. The caller guarantees both ranges exist.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static float Dot(ref float x, ref float y, nuint length) => Dot<AllWidths>(ref x, ref y, length);

    /// <summary>The dot product through the widths <typeparamref name="TWidths"/> allows.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    internal static float Dot<TWidths>(ref float x, ref float y, nuint length)
        where TWidths : IKernelWidths
    {
        nuint i = 0;
        float sum = 0f;
        if (TWidths.Allow512 && Vector512.IsHardwareAccelerated && length >= (nuint)Vector512<float>.Count)
        {
            Vector512<float> a0 = Vector512<float>.Zero, a1 = a0, a2 = a0, a3 = a0;
            for (; i + (nuint)(4 * Vector512<float>.Count) <= length; i += (nuint)(4 * Vector512<float>.Count))
            {
                a0 = Vector512.FusedMultiplyAdd(Vector512.LoadUnsafe(ref x, i), Vector512.LoadUnsafe(ref y, i), a0);
                a1 = Vector512.FusedMultiplyAdd(Vector512.LoadUnsafe(ref x, i + 16), Vector512.LoadUnsafe(ref y, i + 16), a1);
                a2 = Vector512.FusedMultiplyAdd(Vector512.LoadUnsafe(ref x, i + 32), Vector512.LoadUnsafe(ref y, i + 32), a2);
                a3 = Vector512.FusedMultiplyAdd(Vector512.LoadUnsafe(ref x, i + 48), Vector512.LoadUnsafe(ref y, i + 48), a3);
            }

            for (; i + (nuint)Vector512<float>.Count <= length; i += (nuint)Vector512<float>.Count)
            {
                a0 = Vector512.FusedMultiplyAdd(Vector512.LoadUnsafe(ref x, i), Vector512.LoadUnsafe(ref y, i), a0);
            }

            sum = Vector512.Sum((a0 + a1) + (a2 + a3));
        }
        else if (TWidths.Allow256 && Vector256.IsHardwareAccelerated && length >= (nuint)Vector256<float>.Count)
        {
            Vector256<float> a0 = Vector256<float>.Zero, a1 = a0, a2 = a0, a3 = a0;
            for (; i + (nuint)(4 * Vector256<float>.Count) <= length; i += (nuint)(4 * Vector256<float>.Count))
            {
                a0 = Vector256.FusedMultiplyAdd(Vector256.LoadUnsafe(ref x, i), Vector256.LoadUnsafe(ref y, i), a0);
                a1 = Vector256.FusedMultiplyAdd(Vector256.LoadUnsafe(ref x, i + 8), Vector256.LoadUnsafe(ref y, i + 8), a1);
                a2 = Vector256.FusedMultiplyAdd(Vector256.LoadUnsafe(ref x, i + 16), Vector256.LoadUnsafe(ref y, i + 16), a2);
                a3 = Vector256.FusedMultiplyAdd(Vector256.LoadUnsafe(ref x, i + 24), Vector256.LoadUnsafe(ref y, i + 24), a3);
            }

            for (; i + (nuint)Vector256<float>.Count <= length; i += (nuint)Vector256<float>.Count)
            {
                a0 = Vector256.FusedMultiplyAdd(Vector256.LoadUnsafe(ref x, i), Vector256.LoadUnsafe(ref y, i), a0);
            }

            sum = Vector256.Sum((a0 + a1) + (a2 + a3));
        }

        if (TWidths.Allow128 && Vector128.IsHardwareAccelerated && i + (nuint)Vector128<float>.Count <= length)
        {
            Vector128<float> a0 = Vector128<float>.Zero;
            for (; i + (nuint)Vector128<float>.Count <= length; i += (nuint)Vector128<float>.Count)
            {
                a0 = Vector128.FusedMultiplyAdd(Vector128.LoadUnsafe(ref x, i), Vector128.LoadUnsafe(ref y, i), a0);
            }

            sum += Vector128.Sum(a0);
        }

        for (; i < length; i++)
        {
            sum = MathF.FusedMultiplyAdd(Unsafe.Add(ref x, i), Unsafe.Add(ref y, i), sum);
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
