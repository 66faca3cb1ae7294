using System.Text;
using Piramid.Engine.Storage;

namespace Piramid.Engine.Tests.Storage;

/// <summary>The hardware CRC-32C with its interleaved streams against a bit-by-bit reference, at every length class and split.</summary>
public sealed class Crc32CTests
{
    [Fact]
    public void Compute_TheStandardCheckValue() => Assert.Equal(0xE3069283u, Crc32C.Compute(Encoding.ASCII.GetBytes("123456789")));

    [Theory]
    [InlineData(1)]
    [InlineData(2)]
    [InlineData(3)]
    public void Compute_EqualsTheReference_AtLengthsAroundEveryBlockBoundary(int seed)
    {
        var random = new Random(seed);
        var data = new byte[(3 * 8192 * 3) + 1000];
        random.NextBytes(data);
        int[] edges = [0, 1, 7, 8, 9, 767, 768, 769, 24575, 24576, 24577, (2 * 24576) + 768 + 5, data.Length];
        foreach (var length in edges.Concat(Enumerable.Range(0, 40).Select(_ => random.Next(data.Length + 1))))
        {
            Assert.True(Reference(data.AsSpan(0, length)) == Crc32C.Compute(data.AsSpan(0, length)), $"length {length}");
        }
    }

    [Fact]
    public void Append_OverAnySplit_EqualsTheWhole()
    {
        var random = new Random(4);
        var data = new byte[100_000];
        random.NextBytes(data);
        var whole = Crc32C.Compute(data);
        for (var i = 0; i < 200; i++)
        {
            var cut = random.Next(data.Length + 1);
            var state = Crc32C.Append(Crc32C.Append(uint.MaxValue, data.AsSpan(0, cut)), data.AsSpan(cut));
            Assert.Equal(whole, ~state);
        }
    }

    // CRC-32C bit by bit (reflected polynomial 0x82F63B78), the definition the hardware instruction implements.
    private static uint Reference(ReadOnlySpan<byte> data)
    {
        var crc = uint.MaxValue;
        foreach (var b in data)
        {
            crc ^= b;
            for (var bit = 0; bit < 8; bit++)
            {
                crc = (crc & 1) != 0 ? (crc >> 1) ^ 0x82F63B78u : crc >> 1;
            }
        }

        return ~crc;
    }
}
