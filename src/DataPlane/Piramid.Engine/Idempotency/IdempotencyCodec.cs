using System.Buffers.Binary;
using System.Text;

namespace Piramid.Engine.Idempotency;

/// <summary>
/// The idempotency fields on disk (docs/design/wal.md, "Idempotent writes"). In the log, an idempotent write's
/// point record is wrapped: <c>u8 version 2, u16 scope length, scope UTF-8, u8 key length, key ASCII, 32-byte
/// request hash, i64 count, i64 executed-at (Unix ms), then the whole version 1 record</c>, so a version 1 record
/// (every log written before this) decodes as before. In a checkpoint the same fields follow an <c>i64 LSN</c>.
/// All little-endian.
/// </summary>
internal static class IdempotencyCodec
{
    /// <summary>First byte of a point record that carries idempotency fields.</summary>
    public const byte WrappedVersion = 2;

    /// <summary>Wraps a version 1 point record with the fields of an idempotent write.</summary>
    public static byte[] Wrap(WriteIdempotency idempotency, long count, DateTimeOffset executedAt, byte[] record)
    {
        ArgumentNullException.ThrowIfNull(idempotency);
        ArgumentNullException.ThrowIfNull(record);
        var fields = FieldsSize(idempotency.Scope, idempotency.Key);
        var buffer = new byte[1 + fields + record.Length];
        buffer[0] = WrappedVersion;
        WriteFields(buffer.AsSpan(1), idempotency.Scope, idempotency.Key, idempotency.RequestHash, count, executedAt);
        record.CopyTo(buffer.AsSpan(1 + fields));
        return buffer;
    }

    /// <summary>
    /// The version 1 record inside <paramref name="payload"/>, and the idempotency record it carries (null for a
    /// plain version 1 record). <see cref="InvalidDataException"/> when the fields are malformed.
    /// </summary>
    public static ReadOnlySpan<byte> Unwrap(ReadOnlySpan<byte> payload, long lsn, out IdempotencyRecord? record)
    {
        record = null;
        if (payload.IsEmpty || payload[0] != WrappedVersion)
        {
            return payload;
        }

        var offset = 1;
        record = ReadFields(payload, ref offset, lsn);
        return payload[offset..];
    }

    /// <summary>Encodes checkpoint records after a one-byte chunk kind.</summary>
    public static byte[] EncodeChunk(byte kind, IReadOnlyList<IdempotencyRecord> records)
    {
        ArgumentNullException.ThrowIfNull(records);
        var size = 5;
        foreach (var r in records)
        {
            size += 8 + FieldsSize(r.Scope, r.Key);
        }

        var chunk = new byte[size];
        chunk[0] = kind;
        BinaryPrimitives.WriteInt32LittleEndian(chunk.AsSpan(1), records.Count);
        var offset = 5;
        foreach (var r in records)
        {
            BinaryPrimitives.WriteInt64LittleEndian(chunk.AsSpan(offset), r.Lsn);
            offset += 8;
            offset += WriteFields(chunk.AsSpan(offset), r.Scope, r.Key, r.RequestHash, r.Count, r.RecordedAt);
        }

        return chunk;
    }

    /// <summary>Decodes the body of a checkpoint chunk (after its kind byte).</summary>
    public static List<IdempotencyRecord> DecodeChunk(ReadOnlySpan<byte> body)
    {
        if (body.Length < 4)
        {
            throw new InvalidDataException("Idempotency chunk: truncated count.");
        }

        var count = BinaryPrimitives.ReadInt32LittleEndian(body);
        if (count < 0 || count > body.Length)
        {
            throw new InvalidDataException("Idempotency chunk: bad count.");
        }

        var records = new List<IdempotencyRecord>(count);
        var offset = 4;
        for (var i = 0; i < count; i++)
        {
            Need(body, offset, 8);
            var lsn = BinaryPrimitives.ReadInt64LittleEndian(body[offset..]);
            offset += 8;
            records.Add(ReadFields(body, ref offset, lsn));
        }

        return offset == body.Length ? records : throw new InvalidDataException("Idempotency chunk: trailing bytes.");
    }

    private static int FieldsSize(string scope, string key) =>
        2 + Encoding.UTF8.GetByteCount(scope) + 1 + key.Length + WriteIdempotency.HashLength + 8 + 8;

    private static int WriteFields(Span<byte> span, string scope, string key, byte[] hash, long count, DateTimeOffset at)
    {
        var offset = 0;
        var scopeLength = Encoding.UTF8.GetBytes(scope, span[2..]);
        BinaryPrimitives.WriteUInt16LittleEndian(span, (ushort)scopeLength);
        offset += 2 + scopeLength;
        span[offset++] = (byte)key.Length;
        offset += Encoding.ASCII.GetBytes(key, span[offset..]);
        hash.CopyTo(span[offset..]);
        offset += WriteIdempotency.HashLength;
        BinaryPrimitives.WriteInt64LittleEndian(span[offset..], count);
        offset += 8;
        BinaryPrimitives.WriteInt64LittleEndian(span[offset..], at.ToUnixTimeMilliseconds());
        return offset + 8;
    }

    private static IdempotencyRecord ReadFields(ReadOnlySpan<byte> data, ref int offset, long lsn)
    {
        Need(data, offset, 2);
        int scopeLength = BinaryPrimitives.ReadUInt16LittleEndian(data[offset..]);
        offset += 2;
        Need(data, offset, scopeLength + 1);
        var scope = Encoding.UTF8.GetString(data.Slice(offset, scopeLength));
        offset += scopeLength;
        int keyLength = data[offset++];
        Need(data, offset, keyLength + WriteIdempotency.HashLength + 16);
        var key = Encoding.ASCII.GetString(data.Slice(offset, keyLength));
        offset += keyLength;
        var hash = data.Slice(offset, WriteIdempotency.HashLength).ToArray();
        offset += WriteIdempotency.HashLength;
        var count = BinaryPrimitives.ReadInt64LittleEndian(data[offset..]);
        var at = BinaryPrimitives.ReadInt64LittleEndian(data[(offset + 8)..]);
        offset += 16;
        if (count < 0 || at < 0)
        {
            throw new InvalidDataException("Idempotency fields: negative count or time.");
        }

        return new IdempotencyRecord(scope, key, hash, count, lsn, DateTimeOffset.FromUnixTimeMilliseconds(at));
    }

    private static void Need(ReadOnlySpan<byte> data, int offset, int bytes)
    {
        if (bytes < 0 || data.Length - offset < bytes)
        {
            throw new InvalidDataException("Idempotency fields: truncated.");
        }
    }
}
