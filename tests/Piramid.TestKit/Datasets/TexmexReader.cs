using System.Buffers.Binary;
using System.Runtime.InteropServices;

namespace Piramid.TestKit.Datasets;

/// <summary>
/// Reads the TEXMEX <c>.fvecs</c>/<c>.ivecs</c> layout: per row a little-endian <c>int32</c> dimension, then that
/// many little-endian 4-byte values. Every row must have the same dimension.
/// </summary>
internal static class TexmexReader
{
    public static T[][] Read<T>(string path, int maxCount)
        where T : unmanaged
    {
        ArgumentOutOfRangeException.ThrowIfNegative(maxCount);
        using var stream = DatasetFile.OpenRead(path);
        var rows = new List<T[]>();
        Span<byte> header = stackalloc byte[4];
        int dimension = -1;
        while (rows.Count < maxCount)
        {
            int read = stream.ReadAtLeast(header, 4, throwOnEndOfStream: false);
            if (read == 0)
            {
                break;
            }

            if (read < 4)
            {
                throw new InvalidDataException($"{path}: truncated header of row {rows.Count}.");
            }

            int rowDimension = BinaryPrimitives.ReadInt32LittleEndian(header);
            if (rowDimension <= 0 || (dimension >= 0 && rowDimension != dimension))
            {
                throw new InvalidDataException(
                    $"{path}: row {rows.Count} has dimension {rowDimension}, expected {(dimension < 0 ? "> 0" : dimension)}.");
            }

            dimension = rowDimension;
            var row = new T[dimension];
            var bytes = MemoryMarshal.AsBytes(row.AsSpan());
            if (stream.ReadAtLeast(bytes, bytes.Length, throwOnEndOfStream: false) < bytes.Length)
            {
                throw new InvalidDataException($"{path}: truncated row {rows.Count}.");
            }

            if (!BitConverter.IsLittleEndian)
            {
                // The files are little endian; swap each 4-byte value in place on a big-endian host.
                var words = MemoryMarshal.Cast<byte, int>(bytes);
                BinaryPrimitives.ReverseEndianness(words, words);
            }

            rows.Add(row);
        }

        return [.. rows];
    }
}
