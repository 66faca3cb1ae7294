using System.Buffers.Binary;
using Piramid.Engine.Collections;
using Piramid.Engine.Commands;

namespace Piramid.Engine.Tests.Collections;

/// <summary>
/// The decoder of vectors sent as little-endian float32 bytes (the API's <c>vector_b64</c>), through the upsert
/// validator: any bytes are refused with an invalid-argument error naming the field, or decoded bit for bit.
/// </summary>
public sealed class VectorBytesDecodeTests
{
    private const int Dimension = 8;

    private static readonly CollectionConfig Config =
        CollectionConfig.FromCommand("decode", new CreateCollection(Dimension, "dot", new IndexSpec("flat")), 4096, DateTimeOffset.UnixEpoch);

    [Fact]
    public void PrepareUpsert_RandomBytes_RefusedOrDecodedExactly()
    {
        var random = new Random(20_261_207);
        int decoded = 0, refused = 0;
        for (var round = 0; round < 5_000; round++)
        {
            var bytes = new byte[random.Next(3) == 0 ? random.Next(0, 3 * Dimension * sizeof(float)) : Dimension * sizeof(float)];
            random.NextBytes(bytes);
            if (round % 2 == 0)
            {
                // Mostly small finite values, so that many rounds decode; a random exponent in the others.
                for (var i = 3; i < bytes.Length; i += sizeof(float))
                {
                    bytes[i] = (byte)(bytes[i] & 0xBF);
                }
            }

            try
            {
                var points = PointValidator.PrepareUpsert([new NewPoint("p", null) { VectorBytes = bytes }], Config, 1024, Contracts.Limits.MaxVectorValue);
                var vector = points[0].Vector;
                Assert.Equal(Dimension * sizeof(float), bytes.Length);
                for (var i = 0; i < Dimension; i++)
                {
                    var expected = BinaryPrimitives.ReadSingleLittleEndian(bytes.AsSpan(i * sizeof(float)));
                    Assert.Equal(BitConverter.SingleToInt32Bits(expected), BitConverter.SingleToInt32Bits(vector[i]));
                    Assert.True(float.IsFinite(vector[i]) && MathF.Abs(vector[i]) <= Contracts.Limits.MaxVectorValue);
                }

                decoded++;
            }
            catch (EngineException e)
            {
                Assert.Equal(EngineErrorKind.InvalidArgument, e.Kind);
                Assert.Contains("points[0].vector_b64", e.Message, StringComparison.Ordinal);
                refused++;
            }
        }

        Assert.True(decoded > 100 && refused > 100, $"decoded {decoded}, refused {refused}: both paths should be exercised");
    }

    [Theory]
    [InlineData(31, "whole number of float32")]
    [InlineData(28, "has 7 values")]
    [InlineData(36, "has 9 values")]
    public void PrepareUpsert_WrongLength_NamesTheFieldAndTheSize(int length, string detail)
    {
        var e = Assert.Throws<EngineException>(() =>
            PointValidator.PrepareUpsert([new NewPoint("p", null) { VectorBytes = new byte[length] }], Config, 1024, Contracts.Limits.MaxVectorValue));
        Assert.Contains("points[0].vector_b64", e.Message, StringComparison.Ordinal);
        Assert.Contains(detail, e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void PrepareUpsert_BothVectorAndBytes_Refused()
    {
        var e = Assert.Throws<EngineException>(() =>
            PointValidator.PrepareUpsert([new NewPoint("p", new float[Dimension]) { VectorBytes = new byte[Dimension * sizeof(float)] }], Config, 1024, Contracts.Limits.MaxVectorValue));
        Assert.Contains("not both", e.Message, StringComparison.Ordinal);
    }
}
