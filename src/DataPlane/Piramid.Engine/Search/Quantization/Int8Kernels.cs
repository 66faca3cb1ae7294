using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;

namespace Piramid.Engine.Search.Quantization;

/// <summary>
/// Integer kernels over int8 codes, shaped like <see cref="VectorKernels"/>: spans in, widest vector first
/// (Vector512, Vector256, Vector128), scalar tail. Every path returns the exact integer sum.
/// </summary>
/// <remarks>
/// Bytes are widened to 16-bit lanes and multiplied with <c>vpmaddwd</c> (16 x 16 -> 32, adjacent pairs added):
/// exact, unlike <c>vpmaddubsw</c>, whose pair sum 2 x 255 x 127 = 64,770 saturates at 32,767. The fused
/// u8 x s8 instruction (<c>vpdpbusd</c>) would be faster, but .NET 10 exposes it only as <c>AvxVnni</c>
/// (VEX, 128/256-bit), which AVX-512 VNNI parts such as Zen 4 do not report, so it is not used here.
/// Int32 lanes cannot overflow: every lane's partial sum is bounded by the total of the absolute products,
/// 255 x 128 x length for the dot (exact up to 65,793 dimensions) and 255^2 x length for the squared L2
/// (exact up to 33,025 dimensions); collections allow far fewer.
/// </remarks>
internal static class Int8Kernels
{
    /// <summary>The longest span <see cref="SquaredL2U8"/> sums without int32 overflow (2^31 / 255^2).</summary>
    public const int MaxSquaredL2Length = 33_025;

    /// <summary>The longest span <see cref="DotU8I8"/> sums without int32 overflow (2^31 / (255 x 128)).</summary>
    public const int MaxDotLength = 65_793;

    /// <summary>The exact sum of <c>codes[i] * weights[i]</c>: unsigned codes against signed query weights.</summary>
    public static int DotU8I8(ReadOnlySpan<byte> codes, ReadOnlySpan<sbyte> weights) => DotU8I8<AllWidths>(codes, weights);

    /// <summary><see cref="DotU8I8(ReadOnlySpan{byte}, ReadOnlySpan{sbyte})"/> through the widths <typeparamref name="TWidths"/> allows.</summary>
    internal static int DotU8I8<TWidths>(ReadOnlySpan<byte> codes, ReadOnlySpan<sbyte> weights)
        where TWidths : IKernelWidths
    {
        if (codes.Length != weights.Length)
        {
            ThrowLengthMismatch();
        }

        ref byte cr = ref MemoryMarshal.GetReference(codes);
        ref sbyte wr = ref MemoryMarshal.GetReference(weights);
        nuint length = (nuint)codes.Length;
        nuint i = 0;
        int sum = 0;

        // 32 codes per step: vpmovzxbw / vpmovsxbw from 32 bytes each, one vpmaddwd. Two accumulators hide the
        // add latency; Zen 4 runs 512-bit ops as two 256-bit halves, so more would only add register pressure.
        if (TWidths.Allow512 && Avx512BW.IsSupported && length >= 32)
        {
            Vector512<int> a0 = Vector512<int>.Zero, a1 = a0;
            for (; i + 64 <= length; i += 64)
            {
                a0 += Dot512(ref cr, ref wr, i);
                a1 += Dot512(ref cr, ref wr, i + 32);
            }

            if (i + 32 <= length)
            {
                a0 += Dot512(ref cr, ref wr, i);
                i += 32;
            }

            sum = Vector512.Sum(a0 + a1);
        }

        if (TWidths.Allow256 && Avx2.IsSupported && i + 16 <= length)
        {
            Vector256<int> a0 = Vector256<int>.Zero;
            for (; i + 16 <= length; i += 16)
            {
                Vector256<short> c = Avx2.ConvertToVector256Int16(Vector128.LoadUnsafe(ref cr, i));
                Vector256<short> w = Avx2.ConvertToVector256Int16(Vector128.LoadUnsafe(ref wr, i));
                a0 += Avx2.MultiplyAddAdjacent(c, w);
            }

            sum += Vector256.Sum(a0);
        }

        // Portable 8-lane step (also the Arm path): u8 x s8 fits a 16-bit product (|255 x -128| < 32,768),
        // so the multiply is done in 16 bits and only the products are widened.
        if (TWidths.Allow128 && Vector128.IsHardwareAccelerated && i + 8 <= length)
        {
            Vector128<int> a0 = Vector128<int>.Zero;
            for (; i + 8 <= length; i += 8)
            {
                Vector128<short> c = Vector128.WidenLower(Load8(ref cr, i)).AsInt16();
                Vector128<short> w = Vector128.WidenLower(Load8(ref Unsafe.As<sbyte, byte>(ref wr), i).AsSByte());
                Vector128<short> p = c * w;
                a0 += Vector128.WidenLower(p) + Vector128.WidenUpper(p);
            }

            sum += Vector128.Sum(a0);
        }

        for (; i < length; i++)
        {
            sum += Unsafe.Add(ref cr, i) * Unsafe.Add(ref wr, i);
        }

        return sum;
    }

    /// <summary>The exact squared Euclidean distance between two code vectors, in code units.</summary>
    public static int SquaredL2U8(ReadOnlySpan<byte> a, ReadOnlySpan<byte> b) => SquaredL2U8<AllWidths>(a, b);

    /// <summary><see cref="SquaredL2U8(ReadOnlySpan{byte}, ReadOnlySpan{byte})"/> through the widths <typeparamref name="TWidths"/> allows.</summary>
    internal static int SquaredL2U8<TWidths>(ReadOnlySpan<byte> a, ReadOnlySpan<byte> b)
        where TWidths : IKernelWidths
    {
        if (a.Length != b.Length)
        {
            ThrowLengthMismatch();
        }

        ref byte ar = ref MemoryMarshal.GetReference(a);
        ref byte br = ref MemoryMarshal.GetReference(b);
        nuint length = (nuint)a.Length;
        nuint i = 0;
        int sum = 0;

        // Differences lie in -255..255, so they fit 16-bit lanes and vpmaddwd squares and pairs them exactly.
        if (TWidths.Allow512 && Avx512BW.IsSupported && length >= 32)
        {
            Vector512<int> a0 = Vector512<int>.Zero, a1 = a0;
            for (; i + 64 <= length; i += 64)
            {
                a0 += L2512(ref ar, ref br, i);
                a1 += L2512(ref ar, ref br, i + 32);
            }

            if (i + 32 <= length)
            {
                a0 += L2512(ref ar, ref br, i);
                i += 32;
            }

            sum = Vector512.Sum(a0 + a1);
        }

        if (TWidths.Allow256 && Avx2.IsSupported && i + 16 <= length)
        {
            Vector256<int> a0 = Vector256<int>.Zero;
            for (; i + 16 <= length; i += 16)
            {
                Vector256<short> d = Avx2.ConvertToVector256Int16(Vector128.LoadUnsafe(ref ar, i))
                    - Avx2.ConvertToVector256Int16(Vector128.LoadUnsafe(ref br, i));
                a0 += Avx2.MultiplyAddAdjacent(d, d);
            }

            sum += Vector256.Sum(a0);
        }

        // A square of -255..255 overflows a short but not a ushort (65,025): square in 16 bits, widen unsigned.
        if (TWidths.Allow128 && Vector128.IsHardwareAccelerated && i + 8 <= length)
        {
            Vector128<uint> a0 = Vector128<uint>.Zero;
            for (; i + 8 <= length; i += 8)
            {
                Vector128<short> d = Vector128.WidenLower(Load8(ref ar, i)).AsInt16()
                    - Vector128.WidenLower(Load8(ref br, i)).AsInt16();
                Vector128<ushort> p = (d * d).AsUInt16();
                a0 += Vector128.WidenLower(p) + Vector128.WidenUpper(p);
            }

            sum += (int)Vector128.Sum(a0);
        }

        for (; i < length; i++)
        {
            int d = Unsafe.Add(ref ar, i) - Unsafe.Add(ref br, i);
            sum += d * d;
        }

        return sum;
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static Vector512<int> Dot512(ref byte codes, ref sbyte weights, nuint offset)
    {
        Vector512<short> c = Avx512BW.ConvertToVector512Int16(Vector256.LoadUnsafe(ref codes, offset));
        Vector512<short> w = Avx512BW.ConvertToVector512Int16(Vector256.LoadUnsafe(ref weights, offset));
        return Avx512BW.MultiplyAddAdjacent(c, w);
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static Vector512<int> L2512(ref byte a, ref byte b, nuint offset)
    {
        Vector512<short> d = Avx512BW.ConvertToVector512Int16(Vector256.LoadUnsafe(ref a, offset))
            - Avx512BW.ConvertToVector512Int16(Vector256.LoadUnsafe(ref b, offset));
        return Avx512BW.MultiplyAddAdjacent(d, d);
    }

    // Eight bytes into the low half of a Vector128, so WidenLower yields eight 16-bit lanes.
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static Vector128<byte> Load8(ref byte source, nuint offset) =>
        Vector128.CreateScalarUnsafe(Unsafe.ReadUnaligned<ulong>(ref Unsafe.Add(ref source, offset))).AsByte();

    private static void ThrowLengthMismatch() =>
        throw new ArgumentException("The code vectors must have the same length.");
}
