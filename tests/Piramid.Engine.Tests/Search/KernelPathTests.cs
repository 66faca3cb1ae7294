using Piramid.Engine.Search;
using Piramid.Engine.Search.Quantization;

namespace Piramid.Engine.Tests.Search;

/// <summary>
/// Every vector path of every kernel (512, 256, 128 bits and scalar, chosen by the width type argument)
/// against a scalar reference: random inputs at every length 0..1024, each operand read from a random
/// unaligned offset inside a longer array, as the graph walk reads a slot of the slab. The engine runs one
/// path per machine (x86-64-v3 for the Native AOT build), so each is tested here regardless of which it is.
/// </summary>
public sealed class KernelPathTests
{
    private const int MaxLength = 1024;
    private const double RelativeTolerance = 1e-5;

    public static TheoryData<string> Paths() => new("512", "256", "128", "scalar");

    [Theory]
    [MemberData(nameof(Paths))]
    public void FloatDot_MatchesDoubleReference(string path)
    {
        var random = new Random(2301);
        for (int length = 0; length <= MaxLength; length++)
        {
            var (x, xo, y, yo) = FloatOperands(random, length);
            double expected = 0, magnitude = 0;
            for (int i = 0; i < length; i++)
            {
                double p = (double)x[xo + i] * y[yo + i];
                expected += p;
                magnitude += Math.Abs(p);
            }

            float actual = path switch
            {
                "512" => VectorKernels.Dot<AllWidths>(ref x[xo], ref y[yo], (nuint)length),
                "256" => VectorKernels.Dot<UpTo256>(ref x[xo], ref y[yo], (nuint)length),
                "128" => VectorKernels.Dot<UpTo128>(ref x[xo], ref y[yo], (nuint)length),
                _ => VectorKernels.Dot<ScalarOnly>(ref x[xo], ref y[yo], (nuint)length),
            };
            Assert.True(Math.Abs(expected - actual) <= (magnitude * RelativeTolerance) + 1e-12, $"{path}, length {length}, offsets {xo}/{yo}: {actual} vs {expected}");
        }
    }

    [Theory]
    [MemberData(nameof(Paths))]
    public void FloatSquaredL2_MatchesDoubleReference(string path)
    {
        var random = new Random(2302);
        for (int length = 0; length <= MaxLength; length++)
        {
            var (x, xo, y, yo) = FloatOperands(random, length);
            double expected = 0;
            for (int i = 0; i < length; i++)
            {
                double d = (double)x[xo + i] - y[yo + i];
                expected += d * d;
            }

            float actual = path switch
            {
                "512" => VectorKernels.SquaredL2<AllWidths>(ref x[xo], ref y[yo], (nuint)length),
                "256" => VectorKernels.SquaredL2<UpTo256>(ref x[xo], ref y[yo], (nuint)length),
                "128" => VectorKernels.SquaredL2<UpTo128>(ref x[xo], ref y[yo], (nuint)length),
                _ => VectorKernels.SquaredL2<ScalarOnly>(ref x[xo], ref y[yo], (nuint)length),
            };
            Assert.True(Math.Abs(expected - actual) <= (expected * RelativeTolerance) + 1e-12, $"{path}, length {length}, offsets {xo}/{yo}: {actual} vs {expected}");
        }
    }

    [Theory]
    [MemberData(nameof(Paths))]
    public void Int8Dot_EqualsExactSum(string path)
    {
        var random = new Random(2303);
        for (int length = 0; length <= MaxLength; length++)
        {
            int co = random.Next(8), wo = random.Next(8);
            var codes = new byte[length + co + 1];
            var weights = new sbyte[length + wo];
            random.NextBytes(codes);
            random.NextBytes(System.Runtime.InteropServices.MemoryMarshal.AsBytes(weights.AsSpan()));
            if (length % 7 == 0)
            {
                // The extremes, where a saturating instruction would go wrong.
                Array.Fill(codes, (byte)255);
                Array.Fill(weights, length % 2 == 0 ? (sbyte)-128 : (sbyte)127);
            }

            var c = codes.AsSpan(co, length);
            var w = weights.AsSpan(wo, length);
            int expected = 0;
            for (int i = 0; i < length; i++)
            {
                expected += c[i] * w[i];
            }

            int actual = path switch
            {
                "512" => Int8Kernels.DotU8I8<AllWidths>(c, w),
                "256" => Int8Kernels.DotU8I8<UpTo256>(c, w),
                "128" => Int8Kernels.DotU8I8<UpTo128>(c, w),
                _ => Int8Kernels.DotU8I8<ScalarOnly>(c, w),
            };
            Assert.True(expected == actual, $"{path}, length {length}, offsets {co}/{wo}: {actual} vs {expected}");

            var wide = new short[length + 2];
            Int8QueryKernels.Widen(w, wide.AsSpan(1, length));
            int walk = path switch
            {
                "512" => Int8QueryKernels.Dot<AllWidths>(ref codes[co], ref wide[1], (nuint)length),
                "256" => Int8QueryKernels.Dot<UpTo256>(ref codes[co], ref wide[1], (nuint)length),
                "128" => Int8QueryKernels.Dot<UpTo128>(ref codes[co], ref wide[1], (nuint)length),
                _ => Int8QueryKernels.Dot<ScalarOnly>(ref codes[co], ref wide[1], (nuint)length),
            };
            Assert.True(expected == walk, $"walk kernel {path}, length {length}, offsets {co}/{wo}: {walk} vs {expected}");
        }
    }

    [Theory]
    [MemberData(nameof(Paths))]
    public void Int8SquaredL2_EqualsExactSum(string path)
    {
        var random = new Random(2304);
        for (int length = 0; length <= MaxLength; length++)
        {
            int ao = random.Next(8), bo = random.Next(8);
            var left = new byte[length + ao];
            var right = new byte[length + bo];
            random.NextBytes(left);
            random.NextBytes(right);
            if (length % 7 == 0)
            {
                Array.Fill(left, (byte)255);
                Array.Fill(right, (byte)0);
            }

            var a = left.AsSpan(ao, length);
            var b = right.AsSpan(bo, length);
            int expected = 0;
            for (int i = 0; i < length; i++)
            {
                expected += (a[i] - b[i]) * (a[i] - b[i]);
            }

            int actual = path switch
            {
                "512" => Int8Kernels.SquaredL2U8<AllWidths>(a, b),
                "256" => Int8Kernels.SquaredL2U8<UpTo256>(a, b),
                "128" => Int8Kernels.SquaredL2U8<UpTo128>(a, b),
                _ => Int8Kernels.SquaredL2U8<ScalarOnly>(a, b),
            };
            Assert.True(expected == actual, $"{path}, length {length}, offsets {ao}/{bo}: {actual} vs {expected}");
        }
    }

    // Two float vectors of the length, each at a random offset 0..7 inside its array (so never both aligned).
    private static (float[] X, int XOffset, float[] Y, int YOffset) FloatOperands(Random random, int length)
    {
        int xo = random.Next(8), yo = random.Next(8);
        var x = SearchTestData.RandomVector(random, length + xo + 1, 4f);
        var y = SearchTestData.RandomVector(random, length + yo + 1, 4f);
        return (x, xo, y, yo);
    }
}
