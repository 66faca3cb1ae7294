using System.Buffers.Binary;
using Piramid.Engine.Storage;

namespace Piramid.Engine.Search.Quantization;

internal sealed partial class ScalarQuantizer
{
    /// <summary>The serialized format version; bump it and keep a reader for the old one when the layout changes.</summary>
    public const byte FormatVersion = 1;

    // version u8, 3 reserved zero bytes, dimension i32, then offsets and scales (f32 each), then a CRC32C of
    // everything before it. Little-endian throughout. Layout in docs/design/int8-quantization.md.
    private const int HeaderSize = 8;
    private const int TrailerSize = 4;

    /// <summary>The number of bytes <see cref="WriteTo"/> writes: 12 + 8 x dimension.</summary>
    public int SerializedSize => HeaderSize + (8 * Dimension) + TrailerSize;

    /// <summary>Writes the quantizer in its checkpoint format into the first <see cref="SerializedSize"/> bytes.</summary>
    public void WriteTo(Span<byte> destination)
    {
        int size = SerializedSize;
        if (destination.Length < size)
        {
            throw new ArgumentException($"Need {size} bytes, got {destination.Length}.", nameof(destination));
        }

        destination[..HeaderSize].Clear();
        destination[0] = FormatVersion;
        BinaryPrimitives.WriteInt32LittleEndian(destination[4..], Dimension);
        int offset = HeaderSize;
        foreach (float value in _offsets)
        {
            BinaryPrimitives.WriteSingleLittleEndian(destination[offset..], value);
            offset += 4;
        }

        foreach (float value in _scales)
        {
            BinaryPrimitives.WriteSingleLittleEndian(destination[offset..], value);
            offset += 4;
        }

        BinaryPrimitives.WriteUInt32LittleEndian(destination[offset..], Crc32C.Compute(destination[..offset]));
    }

    /// <summary>
    /// Reads a quantizer written by <see cref="WriteTo"/>. <paramref name="source"/> must be exactly one
    /// serialized quantizer; anything else (truncated, padded, bad version, bad checksum, a non-finite offset,
    /// a scale that is not positive and finite) throws <see cref="InvalidDataException"/>.
    /// </summary>
    public static ScalarQuantizer ReadFrom(ReadOnlySpan<byte> source)
    {
        if (source.Length < HeaderSize + TrailerSize)
        {
            throw new InvalidDataException($"Quantizer record too short: {source.Length} bytes.");
        }

        if (source[0] != FormatVersion)
        {
            throw new InvalidDataException($"Unknown quantizer format version {source[0]}.");
        }

        if (source[1] != 0 || source[2] != 0 || source[3] != 0)
        {
            throw new InvalidDataException("Quantizer record has non-zero reserved bytes.");
        }

        int dimension = BinaryPrimitives.ReadInt32LittleEndian(source[4..]);
        if (dimension <= 0 || (long)HeaderSize + (8L * dimension) + TrailerSize != source.Length)
        {
            throw new InvalidDataException(
                $"Quantizer record of {source.Length} bytes does not match dimension {dimension}.");
        }

        int body = source.Length - TrailerSize;
        uint expected = BinaryPrimitives.ReadUInt32LittleEndian(source[body..]);
        if (Crc32C.Compute(source[..body]) != expected)
        {
            throw new InvalidDataException("Quantizer record checksum mismatch.");
        }

        var offsets = new float[dimension];
        var scales = new float[dimension];
        for (int i = 0; i < dimension; i++)
        {
            offsets[i] = BinaryPrimitives.ReadSingleLittleEndian(source[(HeaderSize + (4 * i))..]);
            scales[i] = BinaryPrimitives.ReadSingleLittleEndian(source[(HeaderSize + (4 * (dimension + i)))..]);
            if (!float.IsFinite(offsets[i]) || !float.IsFinite(scales[i]) || scales[i] <= 0f)
            {
                throw new InvalidDataException(
                    $"Quantizer dimension {i} has offset {offsets[i]} and scale {scales[i]}; need finite, scale > 0.");
            }
        }

        return new ScalarQuantizer(offsets, scales);
    }
}
