using System.Buffers.Binary;
using System.Numerics;

namespace Piramid.KeyWrapping;

/// <summary>
/// CRC-32C (Castagnoli), the checksum of the wrapped key layout. The engine's record files use the same
/// function (Piramid.Engine.Storage.Crc32C); this project depends on no engine code, so it computes its own.
/// </summary>
internal static class Crc32C
{
    /// <summary>The CRC-32C of <paramref name="data"/> (initial value and final xor 0xFFFFFFFF).</summary>
    public static uint Compute(ReadOnlySpan<byte> data)
    {
        var crc = uint.MaxValue;
        while (data.Length >= 8)
        {
            crc = BitOperations.Crc32C(crc, BinaryPrimitives.ReadUInt64LittleEndian(data));
            data = data[8..];
        }

        foreach (var b in data)
        {
            crc = BitOperations.Crc32C(crc, b);
        }

        return ~crc;
    }
}
