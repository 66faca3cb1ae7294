using System.Numerics;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;

namespace Piramid.Engine.Storage;

/// <summary>
/// CRC-32C (Castagnoli) through the hardware instruction. Long inputs run as three interleaved streams: the instruction
/// takes three cycles to give its result but can start one every cycle, so one stream used a third of it. The streams'
/// states are joined with precomputed "append n zero bytes" tables (the method of Mark Adler's crc32c.c). A wake
/// checks every byte of its checkpoint this way (docs/design/hibernation.md).
/// </summary>
internal static class Crc32C
{
    private const int LongBlock = 8192; // bytes per stream in a long step
    private const int ShortBlock = 256; // bytes per stream in a short step
    private static readonly uint[] LongShift = ZeroAppender(LongBlock);
    private static readonly uint[] ShortShift = ZeroAppender(ShortBlock);

    /// <summary>The CRC-32C of <paramref name="data"/> (initial value and final xor 0xFFFFFFFF).</summary>
    public static uint Compute(ReadOnlySpan<byte> data) => ~Append(uint.MaxValue, data);

    /// <summary>
    /// Continues a CRC-32C over pieces of one message: start from <see cref="uint.MaxValue"/>, append each piece in
    /// order, and complement the last state; <c>~Append(Append(uint.MaxValue, a), b)</c> equals <c>Compute(a + b)</c>.
    /// </summary>
    public static uint Append(uint state, ReadOnlySpan<byte> data)
    {
        ref var at = ref MemoryMarshal.GetReference(data);
        var left = data.Length;
        var crc = state;
        while (left >= 3 * LongBlock)
        {
            crc = ThreeStreams(crc, ref at, LongBlock, LongShift);
            at = ref Unsafe.Add(ref at, 3 * LongBlock);
            left -= 3 * LongBlock;
        }

        while (left >= 3 * ShortBlock)
        {
            crc = ThreeStreams(crc, ref at, ShortBlock, ShortShift);
            at = ref Unsafe.Add(ref at, 3 * ShortBlock);
            left -= 3 * ShortBlock;
        }

        for (; left >= 8; left -= 8)
        {
            crc = BitOperations.Crc32C(crc, Unsafe.ReadUnaligned<ulong>(ref at));
            at = ref Unsafe.Add(ref at, 8);
        }

        for (; left > 0; left--)
        {
            crc = BitOperations.Crc32C(crc, at);
            at = ref Unsafe.Add(ref at, 1);
        }

        return crc;
    }

    // The state after three consecutive blocks of `block` bytes, the three computed side by side: the first from the
    // state, the other two from zero, then each joined by shifting the state before it over `block` zero bytes
    // (CRC update is linear: update(s, B) = update(s, zeros) xor update(0, B)).
    private static uint ThreeStreams(uint crc, ref byte at, int block, uint[] shift)
    {
        ref var second = ref Unsafe.Add(ref at, block);
        ref var third = ref Unsafe.Add(ref at, 2 * block);
        uint crc1 = 0, crc2 = 0;
        for (var i = 0; i < block; i += 8)
        {
            crc = BitOperations.Crc32C(crc, Unsafe.ReadUnaligned<ulong>(ref Unsafe.Add(ref at, i)));
            crc1 = BitOperations.Crc32C(crc1, Unsafe.ReadUnaligned<ulong>(ref Unsafe.Add(ref second, i)));
            crc2 = BitOperations.Crc32C(crc2, Unsafe.ReadUnaligned<ulong>(ref Unsafe.Add(ref third, i)));
        }

        crc = Shift(shift, crc) ^ crc1;
        return Shift(shift, crc) ^ crc2;
    }

    private static uint Shift(uint[] table, uint crc) =>
        table[crc & 0xFF] ^ table[256 + ((crc >> 8) & 0xFF)] ^ table[512 + ((crc >> 16) & 0xFF)] ^ table[768 + (crc >> 24)];

    // The linear map "append `bytes` zero bytes to a state" as four byte-indexed tables: each state bit's image is the
    // instruction run over the zeros from that bit alone, and a byte's entry is the xor of its bits' images.
    private static uint[] ZeroAppender(int bytes)
    {
        Span<uint> bitImages = stackalloc uint[32];
        for (var bit = 0; bit < 32; bit++)
        {
            var crc = 1u << bit;
            for (var i = 0; i < bytes; i += 8)
            {
                crc = BitOperations.Crc32C(crc, 0UL);
            }

            bitImages[bit] = crc;
        }

        var table = new uint[4 * 256];
        for (var position = 0; position < 4; position++)
        {
            for (var value = 0; value < 256; value++)
            {
                uint image = 0;
                for (var bit = 0; bit < 8; bit++)
                {
                    if ((value & (1 << bit)) != 0)
                    {
                        image ^= bitImages[(position * 8) + bit];
                    }
                }

                table[(position * 256) + value] = image;
            }
        }

        return table;
    }
}
