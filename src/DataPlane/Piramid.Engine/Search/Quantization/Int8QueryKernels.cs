using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;

namespace Piramid.Engine.Search.Quantization;

/// <summary>
/// The graph walk's int8 kernel: codes against query weights already widened to 16 bits once per query
/// (<see cref="Widen"/>), so each scored node widens only its own codes (one <c>vpmovzxbw</c> and one
/// <c>vpmaddwd</c> per 32 codes instead of two widenings). The sum is exactly <see cref="Int8Kernels.DotU8I8"/>'s.
/// </summary>
internal static class Int8QueryKernels
{
    /// <summary>Copies signed byte weights into 16-bit lanes.</summary>
    public static void Widen(ReadOnlySpan<sbyte> weights, Span<short> wide)
    {
        for (var i = 0; i < weights.Length; i++)
        {
            wide[i] = weights[i];
        }
    }

    /// <summary>
    /// The exact sum of <c>codes[i] * weights[i]</c> over <paramref name="length"/> elements from two references
    /// (no checks: the caller guarantees both ranges). Each weight is within [-128, 127], as widened by <see cref="Widen"/>.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static int Dot(ref byte codes, ref short weights, nuint length) => Dot<AllWidths>(ref codes, ref weights, length);

    /// <summary>The walk's int8 dot through the widths <typeparamref name="TWidths"/> allows.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    internal static int Dot<TWidths>(ref byte codes, ref short weights, nuint length)
        where TWidths : IKernelWidths
    {
        nuint i = 0;
        var sum = 0;
        if (TWidths.Allow512 && Avx512BW.IsSupported && length >= 32)
        {
            Vector512<int> a0 = Vector512<int>.Zero, a1 = a0;
            for (; i + 64 <= length; i += 64)
            {
                a0 += Avx512BW.MultiplyAddAdjacent(Avx512BW.ConvertToVector512Int16(Vector256.LoadUnsafe(ref codes, i)), Vector512.LoadUnsafe(ref weights, i));
                a1 += Avx512BW.MultiplyAddAdjacent(Avx512BW.ConvertToVector512Int16(Vector256.LoadUnsafe(ref codes, i + 32)), Vector512.LoadUnsafe(ref weights, i + 32));
            }

            if (i + 32 <= length)
            {
                a0 += Avx512BW.MultiplyAddAdjacent(Avx512BW.ConvertToVector512Int16(Vector256.LoadUnsafe(ref codes, i)), Vector512.LoadUnsafe(ref weights, i));
                i += 32;
            }

            sum = Vector512.Sum(a0 + a1);
        }

        if (TWidths.Allow256 && Avx2.IsSupported && i + 16 <= length)
        {
            Vector256<int> a0 = Vector256<int>.Zero, a1 = a0;
            for (; i + 32 <= length; i += 32)
            {
                a0 += Avx2.MultiplyAddAdjacent(Avx2.ConvertToVector256Int16(Vector128.LoadUnsafe(ref codes, i)), Vector256.LoadUnsafe(ref weights, i));
                a1 += Avx2.MultiplyAddAdjacent(Avx2.ConvertToVector256Int16(Vector128.LoadUnsafe(ref codes, i + 16)), Vector256.LoadUnsafe(ref weights, i + 16));
            }

            if (i + 16 <= length)
            {
                a0 += Avx2.MultiplyAddAdjacent(Avx2.ConvertToVector256Int16(Vector128.LoadUnsafe(ref codes, i)), Vector256.LoadUnsafe(ref weights, i));
                i += 16;
            }

            sum += Vector256.Sum(a0 + a1);
        }

        for (; i < length; i++)
        {
            sum += Unsafe.Add(ref codes, i) * Unsafe.Add(ref weights, i);
        }

        return sum;
    }
}
