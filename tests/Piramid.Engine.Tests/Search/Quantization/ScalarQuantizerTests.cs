using System.Buffers.Binary;
using Piramid.Engine.Search.Quantization;
using Piramid.Engine.Storage;

namespace Piramid.Engine.Tests.Search.Quantization;

public sealed class ScalarQuantizerTests
{
    private const int Dimension = 37;

    [Fact]
    public void Train_KeepsSampleMinAndMaxOnTheGrid_WithMarginStepsBeyond()
    {
        var sample = RandomVectors(new Random(1), 500, Dimension, -3f, 5f);
        var quantizer = ScalarQuantizer.Train(sample, Dimension);
        for (int i = 0; i < Dimension; i++)
        {
            float min = float.MaxValue, max = float.MinValue;
            for (int v = 0; v < 500; v++)
            {
                min = Math.Min(min, sample[(v * Dimension) + i]);
                max = Math.Max(max, sample[(v * Dimension) + i]);
            }

            float scale = quantizer.Scales[i];
            float offset = quantizer.Offsets[i];
            Assert.Equal(min, offset + (ScalarQuantizer.MarginSteps * scale), 4);
            Assert.Equal(max, offset + ((ScalarQuantizer.MaxCode - ScalarQuantizer.MarginSteps) * scale), 4);
        }
    }

    [Fact]
    public void Train_ConstantDimension_GetsAFractionOfTheWidestRange()
    {
        var sample = RandomVectors(new Random(2), 200, Dimension, 0f, 10f);
        for (int v = 0; v < 200; v++)
        {
            sample[(v * Dimension) + 3] = 7f;
        }

        var quantizer = ScalarQuantizer.Train(sample, Dimension);
        float widest = quantizer.Scales.ToArray().Max() * (ScalarQuantizer.MaxCode - (2 * ScalarQuantizer.MarginSteps));
        float constantRange = quantizer.Scales[3] * (ScalarQuantizer.MaxCode - (2 * ScalarQuantizer.MarginSteps));
        Assert.Equal(widest * ScalarQuantizer.MinRangeFraction, constantRange, 3);

        // A later point that moves the constant dimension still codes it, instead of clipping at scale 0.
        var vector = sample.AsSpan(0, Dimension).ToArray();
        vector[3] = 7.2f;
        var code = new byte[Dimension];
        var decoded = new float[Dimension];
        quantizer.Encode(vector, code);
        quantizer.Decode(code, decoded);
        Assert.InRange(decoded[3], 7.2f - (quantizer.Scales[3] / 2), 7.2f + (quantizer.Scales[3] / 2));
    }

    [Fact]
    public void Train_AllVectorsIdentical_StillHasPositiveScales()
    {
        var quantizer = ScalarQuantizer.Train([2f, 0f, -1f, 2f, 0f, -1f], 3);
        Assert.All(quantizer.Scales.ToArray(), s => Assert.True(s > 0f));
        var code = new byte[3];
        var decoded = new float[3];
        quantizer.Encode([2f, 0f, -1f], code);
        quantizer.Decode(code, decoded);
        float[] expected = [2f, 0f, -1f];
        for (int i = 0; i < 3; i++)
        {
            Assert.InRange(decoded[i], expected[i] - (quantizer.Scales[i] / 2), expected[i] + (quantizer.Scales[i] / 2));
        }
    }

    [Fact]
    public void Train_InvalidInput_Throws()
    {
        Assert.Throws<ArgumentException>(() => ScalarQuantizer.Train([], 4));
        Assert.Throws<ArgumentException>(() => ScalarQuantizer.Train([1f, 2f, 3f], 2));
        Assert.Throws<ArgumentException>(() => ScalarQuantizer.Train([1f, float.NaN], 2));
        Assert.Throws<ArgumentOutOfRangeException>(() => ScalarQuantizer.Train([1f], 0));
    }

    [Fact]
    public void EncodeDecode_InsideRange_ErrorAtMostHalfAStep()
    {
        var random = new Random(3);
        var quantizer = ScalarQuantizer.Train(RandomVectors(random, 300, Dimension, -1f, 1f), Dimension);
        var code = new byte[Dimension];
        var decoded = new float[Dimension];
        var vector = new float[Dimension];
        for (int trial = 0; trial < 1_000; trial++)
        {
            for (int i = 0; i < Dimension; i++)
            {
                // Anywhere in the coded range, margins included.
                vector[i] = quantizer.Offsets[i] + (quantizer.Scales[i] * ScalarQuantizer.MaxCode * random.NextSingle());
            }

            quantizer.Encode(vector, code);
            quantizer.Decode(code, decoded);
            for (int i = 0; i < Dimension; i++)
            {
                // Half a step, plus float rounding of the affine map (a few ulps of the offset's magnitude).
                float bound = (quantizer.Scales[i] / 2) * 1.001f;
                Assert.True(Math.Abs(decoded[i] - vector[i]) <= bound, $"dim {i}: {vector[i]} -> {decoded[i]}");
            }
        }
    }

    [Fact]
    public void Encode_OutsideRange_ClipsTo0And255()
    {
        var quantizer = ScalarQuantizer.Train(RandomVectors(new Random(4), 100, 4, 0f, 1f), 4);
        var code = new byte[4];
        quantizer.Encode([-10f, 10f, float.NegativeInfinity, float.PositiveInfinity], code);
        Assert.Equal([0, 255, 0, 255], code);
    }

    [Fact]
    public void PrepareQuery_EstimateWithinWeightRoundingBound()
    {
        var random = new Random(5);
        var quantizer = ScalarQuantizer.Train(RandomVectors(random, 300, Dimension, -2f, 3f), Dimension);
        var weights = new sbyte[Dimension];
        var code = new byte[Dimension];
        var decoded = new float[Dimension];
        for (int trial = 0; trial < 200; trial++)
        {
            var query = RandomVectors(random, 1, Dimension, -1f, 1f);
            var x = RandomVectors(random, 1, Dimension, -2f, 3f);
            quantizer.Encode(x, code);
            quantizer.Decode(code, decoded);
            quantizer.PrepareQuery(query, weights, out float scale, out float bias);
            double estimate = bias + ((double)scale * Int8Kernels.DotU8I8(code, weights));
            double exact = 0;
            long codeSum = 0;
            for (int i = 0; i < Dimension; i++)
            {
                exact += (double)query[i] * decoded[i];
                codeSum += code[i];
            }

            // Each weight is off by at most half its step, and each multiplies a code of at most 255.
            double bound = (scale / 2 * codeSum) + 1e-4;
            Assert.True(Math.Abs(estimate - exact) <= bound, $"estimate {estimate}, exact {exact}, bound {bound}");
        }
    }

    [Fact]
    public void PrepareQuery_ZeroQuery_GivesZeroWeightsAndScale()
    {
        var quantizer = ScalarQuantizer.Train(RandomVectors(new Random(6), 10, 3, 1f, 2f), 3);
        var weights = new sbyte[] { 1, 2, 3 };
        quantizer.PrepareQuery([0f, 0f, 0f], weights, out float scale, out float bias);
        Assert.Equal([0, 0, 0], weights);
        Assert.Equal(0f, scale);
        Assert.Equal(0f, bias);
    }

    [Fact]
    public void Serialization_RoundTrip_IsBitExact()
    {
        var quantizer = ScalarQuantizer.Train(RandomVectors(new Random(7), 50, Dimension, -5f, 5f), Dimension);
        var bytes = new byte[quantizer.SerializedSize];
        quantizer.WriteTo(bytes);
        Assert.Equal(12 + (8 * Dimension), bytes.Length);
        Assert.Equal(ScalarQuantizer.FormatVersion, bytes[0]);

        var read = ScalarQuantizer.ReadFrom(bytes);
        Assert.Equal(quantizer.Offsets.ToArray(), read.Offsets.ToArray());
        Assert.Equal(quantizer.Scales.ToArray(), read.Scales.ToArray());
        var again = new byte[read.SerializedSize];
        read.WriteTo(again);
        Assert.Equal(bytes, again);
    }

    [Theory]
    [InlineData("truncated")]
    [InlineData("extra byte")]
    [InlineData("empty")]
    [InlineData("version")]
    [InlineData("reserved")]
    [InlineData("dimension")]
    [InlineData("flipped bit")]
    [InlineData("zero scale")]
    [InlineData("nan offset")]
    public void ReadFrom_CorruptInput_ThrowsInvalidData(string corruption)
    {
        var quantizer = ScalarQuantizer.Train(RandomVectors(new Random(8), 50, 5, -5f, 5f), 5);
        var bytes = new byte[quantizer.SerializedSize];
        quantizer.WriteTo(bytes);
        byte[] corrupt = corruption switch
        {
            "truncated" => bytes[..^1],
            "extra byte" => [.. bytes, 0],
            "empty" => [],
            "version" => Patched(bytes, b => b[0] = 2),
            "reserved" => Patched(bytes, b => b[2] = 1),
            "dimension" => Patched(bytes, b => BinaryPrimitives.WriteInt32LittleEndian(b.AsSpan(4), 6)),
            "flipped bit" => FlipBit(bytes, 8 + 13),

            // Checksums recomputed: the value checks must catch these on their own.
            "zero scale" => Patched(bytes, b => BinaryPrimitives.WriteSingleLittleEndian(b.AsSpan(8 + (4 * 7)), 0f)),
            "nan offset" => Patched(bytes, b => BinaryPrimitives.WriteSingleLittleEndian(b.AsSpan(8), float.NaN)),
            _ => throw new ArgumentOutOfRangeException(nameof(corruption)),
        };
        Assert.Throws<InvalidDataException>(() => ScalarQuantizer.ReadFrom(corrupt));
    }

    internal static float[] RandomVectors(Random random, int count, int dimension, float min, float max)
    {
        var result = new float[count * dimension];
        for (int i = 0; i < result.Length; i++)
        {
            result[i] = min + ((max - min) * random.NextSingle());
        }

        return result;
    }

    private static byte[] FlipBit(byte[] bytes, int index)
    {
        var copy = bytes.ToArray();
        copy[index] ^= 0x10;
        return copy;
    }

    // Applies the change, then rewrites the CRC32C so only the targeted check can reject the record.
    private static byte[] Patched(byte[] bytes, Action<byte[]> change)
    {
        var copy = bytes.ToArray();
        change(copy);
        BinaryPrimitives.WriteUInt32LittleEndian(copy.AsSpan(copy.Length - 4), Crc32C.Compute(copy.AsSpan(0, copy.Length - 4)));
        return copy;
    }
}
