using System.Buffers.Binary;
using System.Numerics;

namespace Piramid.Engine.Storage;

/// <summary>CRC-32C (Castagnoli) through the hardware instruction, eight bytes per step.</summary>
internal static class Crc32C
{
    /// <summary>The CRC-32C of <paramref name="data"/> (initial value and final xor 0xFFFFFFFF).</summary>
    public static uint Compute(ReadOnlySpan<byte> data) => ~Append(uint.MaxValue, data);

    /// <summary>
    /// Continues a CRC-32C over pieces of one message: start from <see cref="uint.MaxValue"/>, append each piece in
    /// order, and complement the last state; <c>~Append(Append(uint.MaxValue, a), b)</c> equals <c>Compute(a + b)</c>.
    /// </summary>
    public static uint Append(uint state, ReadOnlySpan<byte> data)
    {
        var crc = state;
        while (data.Length >= 8)
        {
            crc = BitOperations.Crc32C(crc, BinaryPrimitives.ReadUInt64LittleEndian(data));
            data = data[8..];
        }

        if (data.Length >= 4)
        {
            crc = BitOperations.Crc32C(crc, BinaryPrimitives.ReadUInt32LittleEndian(data));
            data = data[4..];
        }

        foreach (var b in data)
        {
            crc = BitOperations.Crc32C(crc, b);
        }

        return crc;
    }
}
