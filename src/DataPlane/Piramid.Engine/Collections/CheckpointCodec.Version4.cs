using System.Buffers.Binary;
using System.Runtime.InteropServices;
using System.Text;
using System.Text.Json;
using Piramid.Engine.Idempotency;
using Piramid.Engine.Search.Quantization;
using Piramid.Engine.Storage;

namespace Piramid.Engine.Collections;

/// <summary>
/// Version 4 (docs/design/checkpoint.md): the slab and the int8 codes are saved as they lie in memory, in slot order,
/// and the points' ids and metadata apart from their vectors, so a load copies blocks instead of decoding one point
/// at a time and encodes no code again (fast start, docs/design/hibernation.md).
/// </summary>
internal static partial class CheckpointCodec
{
    // Version 4 chunk kinds (after the header; 3 to 6 as in version 3).
    private const byte SlotsChunk = 7;   // i32 first slot, i32 n, n × u8 state (0 free, 1 live, 2 retired), n × dimension × f32
    private const byte EntriesChunk = 8; // i32 n, per point: i32 slot, u16 id length, id UTF-8, i32 metadata length (-1 none), metadata UTF-8
    private const byte CodesChunk = 9;   // i32 first slot, i32 n, n × dimension int8 codes, n × f32 squared norm

    private const int SlotBlockBytes = 4 * 1024 * 1024; // about this much per slot or code chunk
    private const byte FreeSlot = 0;
    private const byte LiveSlot = 1;
    private const byte RetiredSlot = 2;

    private static IEnumerable<ReadOnlyMemory<byte>> EncodeVersion4(PointStore store, IReadOnlyList<IdempotencyRecord> idempotency)
    {
        var vectors = store.Vectors;
        var index = store.Index;
        var slotCount = vectors.HighWater;
        yield return Header(Version, store, slotCount);

        var slotsPerChunk = Math.Max(1, SlotBlockBytes / ((store.Dimension * sizeof(float)) + 1));
        for (var first = 0; first < slotCount; first += slotsPerChunk)
        {
            yield return EncodeSlots(vectors, first, Math.Min(slotsPerChunk, slotCount - first));
        }

        // In slot order: the load then appends to the slot-ordered metadata index sets instead of inserting.
        var entries = new List<PointEntry>(PointsPerChunk);
        var bySlot = store.BySlot;
        for (var slot = 0; slot < slotCount; slot++)
        {
            if (bySlot[slot] is not { } entry)
            {
                continue;
            }

            entries.Add(entry);
            if (entries.Count == PointsPerChunk)
            {
                yield return EncodeEntries(entries);
                entries.Clear();
            }
        }

        if (entries.Count > 0)
        {
            yield return EncodeEntries(entries);
        }

        for (var first = 0; first < idempotency.Count; first += PointsPerChunk)
        {
            yield return IdempotencyCodec.EncodeChunk(IdempotencyChunk, [.. idempotency.Skip(first).Take(PointsPerChunk)]);
        }

        if (index is null)
        {
            yield break;
        }

        if (index.CodeStore is { } codes)
        {
            var quantizerChunk = new byte[1 + codes.Quantizer.SerializedSize];
            quantizerChunk[0] = QuantizerChunk;
            codes.Quantizer.WriteTo(quantizerChunk.AsSpan(1));
            yield return quantizerChunk;
            var codesPerChunk = Math.Max(1, SlotBlockBytes / (codes.Dimension + sizeof(float)));
            for (var first = 0; first < slotCount; first += codesPerChunk)
            {
                yield return EncodeCodes(codes, first, Math.Min(codesPerChunk, slotCount - first));
            }
        }

        var graphKind = GraphHeaderChunk;
        foreach (var chunk in index.Save(slotCount))
        {
            yield return Prefixed(graphKind, chunk);
            graphKind = GraphNodesChunk;
        }
    }

    private static byte[] EncodeSlots(Search.VectorSlab vectors, int first, int count)
    {
        var floats = count * vectors.Dimension;
        var chunk = new byte[9 + count + (floats * sizeof(float))];
        chunk[0] = SlotsChunk;
        BinaryPrimitives.WriteInt32LittleEndian(chunk.AsSpan(1), first);
        BinaryPrimitives.WriteInt32LittleEndian(chunk.AsSpan(5), count);
        for (var i = 0; i < count; i++)
        {
            var slot = first + i;
            chunk[9 + i] = vectors.IsLive(slot) ? LiveSlot : vectors.IsRetired(slot) ? RetiredSlot : FreeSlot;
        }

        // Free slots are saved too (whatever they hold), so the block is one copy each way.
        MemoryMarshal.AsBytes(vectors.Data.AsSpan(vectors.DataOffset + (first * vectors.Dimension), floats)).CopyTo(chunk.AsSpan(9 + count));
        return chunk;
    }

    private static byte[] EncodeEntries(List<PointEntry> entries)
    {
        var size = 5;
        foreach (var entry in entries)
        {
            size += 4 + 2 + Encoding.UTF8.GetByteCount(entry.Id) + 4 + (entry.HasMetadata ? JsonMarshal.GetRawUtf8Value(entry.Metadata).Length : 0);
        }

        var chunk = new byte[size];
        chunk[0] = EntriesChunk;
        BinaryPrimitives.WriteInt32LittleEndian(chunk.AsSpan(1), entries.Count);
        var offset = 5;
        foreach (var entry in entries)
        {
            BinaryPrimitives.WriteInt32LittleEndian(chunk.AsSpan(offset), entry.Slot);
            var idLength = Encoding.UTF8.GetBytes(entry.Id, chunk.AsSpan(offset + 6));
            BinaryPrimitives.WriteUInt16LittleEndian(chunk.AsSpan(offset + 4), checked((ushort)idLength));
            offset += 6 + idLength;
            if (entry.HasMetadata)
            {
                var metadata = JsonMarshal.GetRawUtf8Value(entry.Metadata);
                BinaryPrimitives.WriteInt32LittleEndian(chunk.AsSpan(offset), metadata.Length);
                metadata.CopyTo(chunk.AsSpan(offset + 4));
                offset += 4 + metadata.Length;
            }
            else
            {
                BinaryPrimitives.WriteInt32LittleEndian(chunk.AsSpan(offset), -1);
                offset += 4;
            }
        }

        return chunk;
    }

    private static byte[] EncodeCodes(Int8VectorStore codes, int first, int count)
    {
        var dimension = codes.Dimension;
        var chunk = new byte[9 + (count * (dimension + sizeof(float)))];
        chunk[0] = CodesChunk;
        BinaryPrimitives.WriteInt32LittleEndian(chunk.AsSpan(1), first);
        BinaryPrimitives.WriteInt32LittleEndian(chunk.AsSpan(5), count);
        var available = Math.Clamp(codes.Capacity - first, 0, count); // slots past the store's capacity never had a code
        for (var i = 0; i < available; i++)
        {
            codes.Codes(first + i).CopyTo(chunk.AsSpan(9 + (i * dimension)));
        }

        MemoryMarshal.AsBytes(codes.SquaredNorms.AsSpan(first, available)).CopyTo(chunk.AsSpan(9 + (count * dimension)));
        return chunk;
    }

    // Returns the slots restored so far; the chunks must cover [0, slotCount) in order.
    private static int DecodeSlots(PointStore store, ReadOnlySpan<byte> body, int restored, int slotCount)
    {
        var first = body.Length >= 8 ? BinaryPrimitives.ReadInt32LittleEndian(body) : -1;
        var count = body.Length >= 8 ? BinaryPrimitives.ReadInt32LittleEndian(body[4..]) : -1;
        var vectorBytes = (long)store.Dimension * sizeof(float);
        if (first != restored || count <= 0 || (long)first + count > slotCount || body.Length != 8 + count + (count * vectorBytes))
        {
            throw new StorageCorruptedException($"a slab chunk for slots {first}+{count} is out of order or has the wrong size.");
        }

        var vectors = MemoryMarshal.Cast<byte, float>(body[(8 + count)..]);
        store.Vectors.RestoreBlock(first, body.Slice(8, count), vectors);
        return first + count;
    }

    private static void DecodeEntries(PointStore store, ReadOnlySpan<byte> body)
    {
        var count = body.Length >= 4 ? BinaryPrimitives.ReadInt32LittleEndian(body) : -1;
        if (count < 0)
        {
            throw new StorageCorruptedException("a points chunk is truncated.");
        }

        var offset = 4;
        for (var i = 0; i < count; i++)
        {
            if (body.Length - offset < 10)
            {
                throw new StorageCorruptedException("a points chunk is truncated.");
            }

            var slot = BinaryPrimitives.ReadInt32LittleEndian(body[offset..]);
            int idLength = BinaryPrimitives.ReadUInt16LittleEndian(body[(offset + 4)..]);
            offset += 6;
            if (body.Length - offset < idLength + 4)
            {
                throw new StorageCorruptedException("a points chunk is truncated.");
            }

            var id = Encoding.UTF8.GetString(body.Slice(offset, idLength));
            offset += idLength;
            var metadataLength = BinaryPrimitives.ReadInt32LittleEndian(body[offset..]);
            offset += 4;
            JsonElement metadata = default;
            if (metadataLength >= 0)
            {
                if (metadataLength > body.Length - offset)
                {
                    throw new StorageCorruptedException("a points chunk is truncated.");
                }

                var reader = new Utf8JsonReader(body.Slice(offset, metadataLength));
                metadata = JsonElement.ParseValue(ref reader);
                offset += metadataLength;
            }
            else if (metadataLength != -1)
            {
                throw new StorageCorruptedException($"point '{id}' has a metadata length of {metadataLength}.");
            }

            if (!store.TryRestoreEntry(slot, id, metadata))
            {
                throw new StorageCorruptedException($"point '{id}' has slot {slot}, which is not a live slot of its own, or appears twice.");
            }
        }

        if (offset != body.Length)
        {
            throw new StorageCorruptedException("a points chunk has trailing bytes.");
        }
    }

    private static int DecodeCodes(Int8VectorStore codes, ReadOnlySpan<byte> body, int restored, int slotCount)
    {
        var first = body.Length >= 8 ? BinaryPrimitives.ReadInt32LittleEndian(body) : -1;
        var count = body.Length >= 8 ? BinaryPrimitives.ReadInt32LittleEndian(body[4..]) : -1;
        if (first != restored || count <= 0 || (long)first + count > slotCount || body.Length != 8 + ((long)count * (codes.Dimension + sizeof(float))))
        {
            throw new StorageCorruptedException($"an int8 code chunk for slots {first}+{count} is out of order or has the wrong size.");
        }

        var codeBytes = count * codes.Dimension;
        codes.Restore(first, body.Slice(8, codeBytes), MemoryMarshal.Cast<byte, float>(body[(8 + codeBytes)..]));
        return first + count;
    }
}
