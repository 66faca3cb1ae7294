using Piramid.Engine.Search.Quantization;

namespace Piramid.Engine.Tests.Search.Quantization;

public sealed class Int8KernelsTests
{
    // Every length through 300 walks each vector width's main loop, its remainder step and the scalar tail;
    // 784 is Fashion-MNIST, 20,000 the longest dimension the overflow argument has to cover.
    public static IEnumerable<int> Lengths => Enumerable.Range(0, 301).Append(784).Append(20_000);

    [Fact]
    public void DotU8I8_MatchesScalar_ForEveryLength()
    {
        var random = new Random(8);
        foreach (int length in Lengths)
        {
            // One element of slack so the spans also start off a 32-byte boundary.
            int shift = length % 2;
            var codes = RandomCodes(random, length + shift);
            var weights = RandomWeights(random, length + shift);
            var c = codes.AsSpan(shift, length);
            var w = weights.AsSpan(shift, length);
            Assert.True(ScalarDot(c, w) == Int8Kernels.DotU8I8(c, w), $"length {length}");
        }
    }

    // The walk's kernel on pre-widened weights must give the very sum of DotU8I8, extremes included
    // (255 against -128 and 127 in every lane).
    [Fact]
    public void QueryDot_OnWidenedWeights_EqualsDotU8I8_ForEveryLength()
    {
        var random = new Random(10);
        foreach (int length in Lengths)
        {
            foreach (var extreme in new sbyte?[] { null, -128, 127 })
            {
                var codes = RandomCodes(random, length + 2);
                var weights = RandomWeights(random, length);
                if (extreme is { } value)
                {
                    Array.Fill(codes, (byte)255);
                    Array.Fill(weights, value);
                }

                var wide = new short[length + 1];
                Int8QueryKernels.Widen(weights, wide);
                int expected = Int8Kernels.DotU8I8(codes.AsSpan(1, length), weights);
                int actual = Int8QueryKernels.Dot(ref codes[1], ref wide[0], (nuint)length);
                Assert.True(expected == actual, $"length {length}, extreme {extreme}: {actual} vs {expected}");
            }
        }
    }

    [Fact]
    public void SquaredL2U8_MatchesScalar_ForEveryLength()
    {
        var random = new Random(9);
        foreach (int length in Lengths)
        {
            int shift = length % 2;
            var a = RandomCodes(random, length + shift).AsSpan(shift, length);
            var b = RandomCodes(random, length + shift).AsSpan(shift, length);
            Assert.True(ScalarSquaredL2(a, b) == Int8Kernels.SquaredL2U8(a, b), $"length {length}");
        }
    }

    [Fact]
    public void DotU8I8_ExtremeValuesAtMaxDimension_DoNotSaturate()
    {
        // 255 x 127 in adjacent pairs is where vpmaddubsw would saturate; the int32 sum is the other limit.
        var codes = Enumerable.Repeat((byte)255, 20_000).ToArray();
        var positive = Enumerable.Repeat((sbyte)127, 20_000).ToArray();
        var negative = Enumerable.Repeat((sbyte)-128, 20_000).ToArray();
        Assert.Equal(255 * 127 * 20_000, Int8Kernels.DotU8I8(codes, positive));
        Assert.Equal(-255 * 128 * 20_000, Int8Kernels.DotU8I8(codes, negative));
    }

    [Fact]
    public void SquaredL2U8_ExtremeValuesAtMaxDimension_DoNotOverflow()
    {
        var zeros = new byte[20_000];
        var full = Enumerable.Repeat((byte)255, 20_000).ToArray();
        Assert.Equal(255 * 255 * 20_000, Int8Kernels.SquaredL2U8(zeros, full));
        Assert.Equal(255 * 255 * 20_000, Int8Kernels.SquaredL2U8(full, zeros));
        Assert.Equal(0, Int8Kernels.SquaredL2U8(full, full));
    }

    [Fact]
    public void Kernels_LengthMismatch_Throw()
    {
        Assert.Throws<ArgumentException>(() => Int8Kernels.DotU8I8(new byte[3], new sbyte[4]));
        Assert.Throws<ArgumentException>(() => Int8Kernels.SquaredL2U8(new byte[5], new byte[4]));
    }

    internal static int ScalarDot(ReadOnlySpan<byte> codes, ReadOnlySpan<sbyte> weights)
    {
        int sum = 0;
        for (int i = 0; i < codes.Length; i++)
        {
            sum += codes[i] * weights[i];
        }

        return sum;
    }

    internal static int ScalarSquaredL2(ReadOnlySpan<byte> a, ReadOnlySpan<byte> b)
    {
        int sum = 0;
        for (int i = 0; i < a.Length; i++)
        {
            int d = a[i] - b[i];
            sum += d * d;
        }

        return sum;
    }

    // A quarter of the elements are the extremes, so the saturation and sign-extension cases occur at every
    // position of every vector width, not only by chance.
    private static byte[] RandomCodes(Random random, int length)
    {
        var result = new byte[length];
        for (int i = 0; i < length; i++)
        {
            result[i] = random.Next(4) switch
            {
                0 => (byte)(random.Next(2) * 255),
                _ => (byte)random.Next(256),
            };
        }

        return result;
    }

    private static sbyte[] RandomWeights(Random random, int length)
    {
        var result = new sbyte[length];
        for (int i = 0; i < length; i++)
        {
            result[i] = random.Next(4) switch
            {
                0 => (sbyte)(random.Next(2) == 0 ? -127 : 127),
                _ => (sbyte)random.Next(-127, 128),
            };
        }

        return result;
    }
}
