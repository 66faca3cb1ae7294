using System.Buffers;
using System.Buffers.Binary;
using System.Runtime.InteropServices;
using System.Text;

namespace Piramid.Engine.Collections;

/// <summary>
/// Binary payloads of the collection's WAL records and checkpoint chunks (docs/design/data-directory.md).
/// Upsert: <c>u8 version, u32 count, then per point u16 id length, id UTF-8, u32 dimension,
/// dimension x f32, i32 metadata length (-1 = none), metadata UTF-8</c>. Delete: <c>u8 version,
/// u32 count, then per id u16 length, id UTF-8</c>. All little-endian.
/// </summary>
public static class PointRecordCodec
{
    /// <summary>WAL record type of an upsert batch.</summary>
    public const byte UpsertType = 1;

    /// <summary>WAL record type of a delete batch.</summary>
    public const byte DeleteType = 2;

    private const byte Version = 1;

    /// <summary>Encodes an upsert batch.</summary>
    public static byte[] EncodeUpsert(IReadOnlyList<PreparedPoint> points)
    {
        ArgumentNullException.ThrowIfNull(points);
        var size = 5;
        foreach (var p in points)
        {
            size += 2 + Encoding.UTF8.GetByteCount(p.Id) + 4 + (p.Vector.Length * sizeof(float)) + 4 + (p.Metadata?.Length ?? 0);
        }

        var buffer = new byte[size];
        var span = buffer.AsSpan();
        span[0] = Version;
        BinaryPrimitives.WriteUInt32LittleEndian(span[1..], (uint)points.Count);
        var offset = 5;
        foreach (var p in points)
        {
            offset += WriteId(span[offset..], p.Id);
            BinaryPrimitives.WriteInt32LittleEndian(span[offset..], p.Vector.Length);
            offset += 4;
            // The formats are little-endian and so is every platform .NET runs the engine on (checked on decode).
            MemoryMarshal.AsBytes(p.Vector.AsSpan()).CopyTo(span[offset..]);
            offset += p.Vector.Length * sizeof(float);

            BinaryPrimitives.WriteInt32LittleEndian(span[offset..], p.Metadata?.Length ?? -1);
            offset += 4;
            if (p.Metadata is not null)
            {
                p.Metadata.CopyTo(span[offset..]);
                offset += p.Metadata.Length;
            }
        }

        return offset == size ? buffer : throw new InvalidOperationException("Upsert encoding size mismatch.");
    }

    /// <summary>Decodes an upsert batch; <see cref="InvalidDataException"/> when malformed.</summary>
    public static List<PreparedPoint> DecodeUpsert(ReadOnlySpan<byte> payload)
    {
        var count = ReadHeader(payload);
        var points = new List<PreparedPoint>(count);
        var offset = 5;
        for (var i = 0; i < count; i++)
        {
            var id = ReadId(payload, ref offset);
            var dimension = ReadInt(payload, ref offset);
            if (dimension < 0 || (long)dimension * 4 > payload.Length - offset)
            {
                throw new InvalidDataException("Upsert record: bad dimension.");
            }

            if (!BitConverter.IsLittleEndian)
            {
                throw new PlatformNotSupportedException("The engine's file formats are little-endian.");
            }

            var vector = new float[dimension];
            MemoryMarshal.Cast<byte, float>(payload.Slice(offset, dimension * 4)).CopyTo(vector);

            offset += dimension * 4;
            var metadataLength = ReadInt(payload, ref offset);
            byte[]? metadata = null;
            if (metadataLength >= 0)
            {
                if (metadataLength > payload.Length - offset)
                {
                    throw new InvalidDataException("Upsert record: bad metadata length.");
                }

                metadata = payload.Slice(offset, metadataLength).ToArray();
                offset += metadataLength;
            }

            points.Add(new PreparedPoint(id, vector, metadata));
        }

        return offset == payload.Length ? points : throw new InvalidDataException("Upsert record: trailing bytes.");
    }

    /// <summary>Encodes a delete batch.</summary>
    public static byte[] EncodeDelete(IReadOnlyList<string> ids)
    {
        ArgumentNullException.ThrowIfNull(ids);
        var writer = new ArrayBufferWriter<byte>(5 + (ids.Count * 18));
        var header = writer.GetSpan(5);
        header[0] = Version;
        BinaryPrimitives.WriteUInt32LittleEndian(header[1..], (uint)ids.Count);
        writer.Advance(5);
        foreach (var id in ids)
        {
            var span = writer.GetSpan(2 + Encoding.UTF8.GetMaxByteCount(id.Length));
            writer.Advance(WriteId(span, id));
        }

        return writer.WrittenSpan.ToArray();
    }

    /// <summary>Decodes a delete batch.</summary>
    public static List<string> DecodeDelete(ReadOnlySpan<byte> payload)
    {
        var count = ReadHeader(payload);
        var ids = new List<string>(count);
        var offset = 5;
        for (var i = 0; i < count; i++)
        {
            ids.Add(ReadId(payload, ref offset));
        }

        return offset == payload.Length ? ids : throw new InvalidDataException("Delete record: trailing bytes.");
    }

    private static int ReadHeader(ReadOnlySpan<byte> payload)
    {
        if (payload.Length < 5 || payload[0] != Version)
        {
            throw new InvalidDataException("Point record: bad header or version.");
        }

        var count = BinaryPrimitives.ReadUInt32LittleEndian(payload[1..]);
        return count <= int.MaxValue ? (int)count : throw new InvalidDataException("Point record: bad count.");
    }

    private static int WriteId(Span<byte> destination, string id)
    {
        var length = Encoding.UTF8.GetBytes(id, destination[2..]);
        BinaryPrimitives.WriteUInt16LittleEndian(destination, (ushort)length);
        return 2 + length;
    }

    private static string ReadId(ReadOnlySpan<byte> payload, ref int offset)
    {
        if (payload.Length - offset < 2)
        {
            throw new InvalidDataException("Point record: truncated id.");
        }

        int length = BinaryPrimitives.ReadUInt16LittleEndian(payload[offset..]);
        offset += 2;
        if (length > payload.Length - offset)
        {
            throw new InvalidDataException("Point record: truncated id.");
        }

        var id = Encoding.UTF8.GetString(payload.Slice(offset, length));
        offset += length;
        return id;
    }

    private static int ReadInt(ReadOnlySpan<byte> payload, ref int offset)
    {
        if (payload.Length - offset < 4)
        {
            throw new InvalidDataException("Point record: truncated.");
        }

        var value = BinaryPrimitives.ReadInt32LittleEndian(payload[offset..]);
        offset += 4;
        return value;
    }
}
