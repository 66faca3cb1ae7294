using System.Buffers.Binary;
using System.Runtime.InteropServices;
using Piramid.Engine.Idempotency;
using Piramid.Engine.Search.Quantization;
using Piramid.Engine.Storage;

namespace Piramid.Engine.Collections;

/// <summary>
/// The content of a collection checkpoint, both ways in one place: <see cref="Encode"/> turns a
/// <see cref="PointStore"/> into the chunks <see cref="CheckpointStore"/> encrypts and writes, <see cref="Decode"/>
/// fills an empty store from them, and both carry the collection's idempotency records. Layout (versions 1 to 3) in
/// docs/design/checkpoint.md.
/// </summary>
internal static partial class CheckpointCodec
{
    /// <summary>
    /// The version <see cref="Encode"/> writes: version 3 with the slab, the int8 codes and the points' ids and metadata
    /// in separate chunks, stored as they lie in memory, so a load copies them instead of decoding every point.
    /// </summary>
    public const byte Version = 4;

    /// <summary>Version 2 plus the idempotency records of the log it covers. Still read.</summary>
    public const byte Version3 = 3;

    /// <summary>Points keep their slots, so the saved graph stays valid; no idempotency records. Still read.</summary>
    public const byte Version2 = 2;

    /// <summary>The first version: no slots and no graph; still read.</summary>
    public const byte Version1 = 1;

    /// <summary>Points (or retired slots) per chunk.</summary>
    public const int PointsPerChunk = 512;

    private const int HeaderSize = 18; // u8 version, i64 point count, i32 dimension, i32 slot count, u8 has graph
    private const int Version1HeaderSize = 13; // u8 version, i64 point count, i32 dimension

    // The first byte of every chunk after the header in version 2.
    private const byte PointsChunk = 1;
    private const byte RetiredChunk = 2;
    private const byte GraphHeaderChunk = 3;
    private const byte GraphNodesChunk = 4;
    private const byte QuantizerChunk = 5;
    private const byte IdempotencyChunk = 6;

    /// <summary>
    /// The chunks of a version 3 checkpoint of <paramref name="store"/> and the unexpired idempotency records of the
    /// log it covers, produced lazily: the caller holds the collection's read lock while it enumerates them, so the
    /// state is not copied.
    /// </summary>
    public static IEnumerable<ReadOnlyMemory<byte>> Encode(PointStore store, IReadOnlyList<IdempotencyRecord> idempotency)
    {
        ArgumentNullException.ThrowIfNull(store);
        ArgumentNullException.ThrowIfNull(idempotency);
        return EncodeVersion4(store, idempotency);
    }

    /// <summary>The chunks of a version 3 checkpoint, as the engine wrote them before version 4 (tests of old checkpoints).</summary>
    internal static IEnumerable<ReadOnlyMemory<byte>> EncodeVersion3(PointStore store, IReadOnlyList<IdempotencyRecord> idempotency)
    {
        ArgumentNullException.ThrowIfNull(store);
        ArgumentNullException.ThrowIfNull(idempotency);
        return EncodeChunks(store, idempotency);
    }

    /// <summary>
    /// Fills the empty <paramref name="store"/> from <paramref name="checkpoint"/>. Anything that does not fit the
    /// collection (another dimension, a bad chunk, a graph that disagrees with the points) throws
    /// <see cref="StorageCorruptedException"/>; the store is then unusable and the collection stays closed.
    /// Returns the idempotency records the checkpoint holds (none before version 3).
    /// </summary>
    public static List<IdempotencyRecord> Decode(CheckpointData checkpoint, PointStore store, CheckpointLoadProfile? profile = null)
    {
        ArgumentNullException.ThrowIfNull(checkpoint);
        ArgumentNullException.ThrowIfNull(store);

        // Chunks are read one at a time (a file's into one reused buffer): nothing here keeps a chunk past the next.
        using var chunks = checkpoint.ReadChunks().GetEnumerator();
        if (!chunks.MoveNext())
        {
            throw new StorageCorruptedException($"{checkpoint.Path}: checkpoint has no header chunk.");
        }

        var header = chunks.Current.ToArray();
        var version = header.Length > 0 ? header[0] : (byte)0;
        var valid = version switch
        {
            Version1 => header.Length == Version1HeaderSize,
            Version2 or Version3 or Version => header.Length == HeaderSize,
            _ => false,
        };
        if (!valid || BinaryPrimitives.ReadInt32LittleEndian(header.AsSpan(9)) != store.Dimension)
        {
            throw new StorageCorruptedException($"{checkpoint.Path}: checkpoint header does not match this collection.");
        }

        var expected = BinaryPrimitives.ReadInt64LittleEndian(header.AsSpan(1));
        var idempotency = new List<IdempotencyRecord>();
        try
        {
            if (version == Version1)
            {
                // Version 1 kept no slots and no graph: the points are added again and linked one by one.
                while (chunks.MoveNext())
                {
                    foreach (var point in PointRecordCodec.DecodeUpsert(chunks.Current.Span))
                    {
                        store.Link(store.Upsert(point));
                    }
                }
            }
            else
            {
                var slotCount = BinaryPrimitives.ReadInt32LittleEndian(header.AsSpan(13));
                if (slotCount < 0 || expected < 0 || expected > slotCount)
                {
                    throw new StorageCorruptedException($"{checkpoint.Path}: checkpoint header counts {expected} points in {slotCount} slots.");
                }

                store.BeginRestore(slotCount, expected);
                DecodeSlotted(checkpoint.Path, chunks, store, version, slotCount, header[17] == 1, idempotency, profile);
            }
        }
        catch (Exception e) when (e is ArgumentException or InvalidOperationException or InvalidDataException)
        {
            throw new StorageCorruptedException($"{checkpoint.Path}: {e.Message}");
        }

        if (store.Count != expected)
        {
            throw new StorageCorruptedException($"{checkpoint.Path}: checkpoint holds {store.Count} points, its header says {expected}.");
        }

        return idempotency;
    }

    private static IEnumerable<ReadOnlyMemory<byte>> EncodeChunks(PointStore store, IReadOnlyList<IdempotencyRecord> idempotency)
    {
        var vectors = store.Vectors;
        var index = store.Index;
        var slotCount = vectors.HighWater;
        yield return Header(Version3, store, slotCount);

        var batch = new List<PreparedPoint>(PointsPerChunk);
        var slots = new List<int>(PointsPerChunk);
        foreach (var entry in store.Entries)
        {
            batch.Add(new PreparedPoint(entry.Id, store.VectorOf(entry), PointStore.MetadataBytesOf(entry)));
            slots.Add(entry.Slot);
            if (batch.Count == PointsPerChunk)
            {
                yield return EncodePointsChunk(slots, batch);
                batch.Clear();
                slots.Clear();
            }
        }

        if (batch.Count > 0)
        {
            yield return EncodePointsChunk(slots, batch);
        }

        for (var first = 0; first < idempotency.Count; first += PointsPerChunk)
        {
            yield return IdempotencyCodec.EncodeChunk(IdempotencyChunk, [.. idempotency.Skip(first).Take(PointsPerChunk)]);
        }

        if (index is null)
        {
            yield break;
        }

        // Deleted graph nodes keep their vectors (stepping stones) until a compaction frees them.
        for (var first = 0; first < slotCount; first += PointsPerChunk)
        {
            var retired = Enumerable.Range(first, Math.Min(PointsPerChunk, slotCount - first)).Where(vectors.IsRetired).ToList();
            if (retired.Count > 0)
            {
                yield return EncodeRetiredChunk(store, retired);
            }
        }

        // The codes are not saved: they are re-encoded from the floats with the same quantizer on load.
        if (index.Quantizer is { } quantizer)
        {
            var chunk = new byte[1 + quantizer.SerializedSize];
            chunk[0] = QuantizerChunk;
            quantizer.WriteTo(chunk.AsSpan(1));
            yield return chunk;
        }

        var graphKind = GraphHeaderChunk;
        foreach (var chunk in index.Save(slotCount))
        {
            yield return Prefixed(graphKind, chunk);
            graphKind = GraphNodesChunk;
        }
    }

    private static byte[] Header(byte version, PointStore store, int slotCount)
    {
        var header = new byte[HeaderSize];
        header[0] = version;
        BinaryPrimitives.WriteInt64LittleEndian(header.AsSpan(1), store.Count);
        BinaryPrimitives.WriteInt32LittleEndian(header.AsSpan(9), store.Dimension);
        BinaryPrimitives.WriteInt32LittleEndian(header.AsSpan(13), slotCount);
        header[17] = store.Index is null ? (byte)0 : (byte)1;
        return header;
    }

    private static byte[] EncodePointsChunk(List<int> slots, List<PreparedPoint> points)
    {
        var payload = PointRecordCodec.EncodeUpsert(points);
        var chunk = new byte[5 + (4 * slots.Count) + payload.Length];
        chunk[0] = PointsChunk;
        BinaryPrimitives.WriteInt32LittleEndian(chunk.AsSpan(1), slots.Count);
        for (var i = 0; i < slots.Count; i++)
        {
            BinaryPrimitives.WriteInt32LittleEndian(chunk.AsSpan(5 + (4 * i)), slots[i]);
        }

        payload.CopyTo(chunk.AsSpan(5 + (4 * slots.Count)));
        return chunk;
    }

    private static byte[] EncodeRetiredChunk(PointStore store, List<int> slots)
    {
        var vectorBytes = store.Dimension * sizeof(float);
        var chunk = new byte[5 + (slots.Count * (4 + vectorBytes))];
        chunk[0] = RetiredChunk;
        BinaryPrimitives.WriteInt32LittleEndian(chunk.AsSpan(1), slots.Count);
        var offset = 5;
        foreach (var slot in slots)
        {
            BinaryPrimitives.WriteInt32LittleEndian(chunk.AsSpan(offset), slot);
            MemoryMarshal.AsBytes(store.Vectors.Vector(slot)).CopyTo(chunk.AsSpan(offset + 4));
            offset += 4 + vectorBytes;
        }

        return chunk;
    }

    private static byte[] Prefixed(byte kind, byte[] chunk)
    {
        var prefixed = new byte[chunk.Length + 1];
        prefixed[0] = kind;
        chunk.CopyTo(prefixed.AsSpan(1));
        return prefixed;
    }

    private static void DecodeSlotted(
        string path, IEnumerator<ReadOnlyMemory<byte>> chunks, PointStore store, byte version, int slotCount, bool hasGraph, List<IdempotencyRecord> idempotency, CheckpointLoadProfile? profile)
    {
        var index = store.Index;
        var started = System.Diagnostics.Stopwatch.GetTimestamp();
        var graphSlots = -1;
        ScalarQuantizer? quantizer = null;
        var slabSlots = 0; // slots restored by version 4 slot chunks, in order
        Int8VectorStore? codes = null;
        var codeSlots = 0; // slots restored by version 4 code chunks, in order
        var slotted = version >= Version;
        for (var i = 1; chunks.MoveNext(); i++)
        {
            var chunk = chunks.Current.Span;
            if (chunk.Length == 0)
            {
                throw new StorageCorruptedException($"{path}: empty chunk {i}.");
            }

            var body = chunk[1..];
            switch (chunk[0])
            {
                case SlotsChunk when slotted:
                    slabSlots = DecodeSlots(store, body, slabSlots, slotCount);
                    started = profile?.Add("slab (vectors as stored)", started) ?? started;
                    break;
                case EntriesChunk when slotted:
                    DecodeEntries(store, body);
                    started = profile?.Add("points: ids, metadata, maps", started) ?? started;
                    break;
                case CodesChunk when slotted && index is not null && quantizer is not null:
                    codes ??= index.AdoptQuantizer(quantizer, slotCount);
                    codeSlots = DecodeCodes(codes, body, codeSlots, slotCount);
                    started = profile?.Add("int8 codes as stored", started) ?? started;
                    break;
                case PointsChunk when !slotted:
                    started = DecodePoints(store, body, slotCount, profile, started);
                    break;
                case RetiredChunk when !slotted:
                    DecodeRetired(store, body, slotCount);
                    started = profile?.Add("retired", started) ?? started;
                    break;
                case IdempotencyChunk:
                    idempotency.AddRange(IdempotencyCodec.DecodeChunk(body));
                    started = profile?.Add("idempotency", started) ?? started;
                    break;
                case QuantizerChunk when index is not null:
                    quantizer = DecodeQuantizer(body, store.Dimension);
                    break;
                case GraphHeaderChunk when index is not null:
                    graphSlots = index.LoadHeader(body);
                    started = profile?.Add("graph", started) ?? started;
                    break;
                case GraphNodesChunk when index is not null && graphSlots >= 0:
                    index.LoadNodes(body, graphSlots);
                    started = profile?.Add("graph", started) ?? started;
                    break;
                default:
                    throw new StorageCorruptedException($"{path}: chunk {i} has an unexpected kind {chunk[0]}.");
            }
        }

        if (slotted && slabSlots != slotCount)
        {
            throw new StorageCorruptedException($"{path}: the slab covers {slabSlots} slots instead of {slotCount}.");
        }

        if (store.Count != store.Vectors.Count)
        {
            throw new StorageCorruptedException($"{path}: {store.Vectors.Count} live slots hold {store.Count} points.");
        }

        store.CompleteRestore();
        started = profile?.Add("slab free list, id order", started) ?? started;
        if (index is null)
        {
            return;
        }

        if (!hasGraph || graphSlots != slotCount)
        {
            throw new StorageCorruptedException($"{path}: the graph is missing or covers {graphSlots} slots instead of {slotCount}.");
        }

        for (var slot = 0; slot < slotCount; slot++)
        {
            if (store.Vectors.IsLive(slot) != index.IsLiveNode(slot) || store.Vectors.IsRetired(slot) != index.IsDeletedNode(slot))
            {
                throw new StorageCorruptedException($"{path}: slot {slot} disagrees between the points and the graph.");
            }
        }

        started = profile?.Add("graph check", started) ?? started;
        if (codes is not null && codeSlots != slotCount)
        {
            throw new StorageCorruptedException($"{path}: the int8 codes cover {codeSlots} slots instead of {slotCount}.");
        }

        if (slotted && quantizer is not null && codes is null && slotCount > 0)
        {
            throw new StorageCorruptedException($"{path}: the int8 codes are missing.");
        }

        if (quantizer is not null && codes is null)
        {
            // Before version 4 (or a version 4 quantizer without codes: an empty slab) the codes are encoded again.
            index.UseQuantizer(quantizer);
            started = profile?.Add("int8 encode", started) ?? started;
        }

        // Nodes saved before their links were made (the unlinked tail) restart empty and stay reserved: the collection's
        // linker links them once it is open (docs/design/ingest.md).
        foreach (var slot in index.ReservedSlots().ToList())
        {
            index.Reserve(slot, index.LevelOf(slot));
        }

        profile?.Add("relink", started);
    }

    private static ScalarQuantizer DecodeQuantizer(ReadOnlySpan<byte> body, int dimension)
    {
        try
        {
            var quantizer = ScalarQuantizer.ReadFrom(body);
            return quantizer.Dimension == dimension
                ? quantizer
                : throw new StorageCorruptedException($"the saved quantizer has {quantizer.Dimension} dimensions, the collection {dimension}.");
        }
        catch (InvalidDataException e)
        {
            throw new StorageCorruptedException($"the saved quantizer does not decode: {e.Message}");
        }
    }

    private static long DecodePoints(PointStore store, ReadOnlySpan<byte> body, int slotCount, CheckpointLoadProfile? profile, long started)
    {
        var count = BinaryPrimitives.ReadInt32LittleEndian(body);
        if (count < 0 || body.Length < 4 + (4L * count))
        {
            throw new StorageCorruptedException("a points chunk is truncated.");
        }

        var points = PointRecordCodec.DecodeUpsert(body[(4 + (4 * count))..]);
        if (points.Count != count)
        {
            throw new StorageCorruptedException($"a points chunk lists {count} slots for {points.Count} points.");
        }

        started = profile?.Add("points: decode records", started) ?? started;
        for (var i = 0; i < count; i++)
        {
            var slot = BinaryPrimitives.ReadInt32LittleEndian(body[(4 + (4 * i))..]);
            var point = points[i];
            if (!store.TryRestore(slot, slotCount, point))
            {
                throw new StorageCorruptedException($"point '{point.Id}' has slot {slot} or appears twice.");
            }
        }

        return profile?.Add("points: restore (slab, maps, metadata)", started) ?? started;
    }

    private static void DecodeRetired(PointStore store, ReadOnlySpan<byte> body, int slotCount)
    {
        var count = BinaryPrimitives.ReadInt32LittleEndian(body);
        var vectorBytes = store.Dimension * sizeof(float);
        if (count < 0 || body.Length != 4 + ((long)count * (4 + vectorBytes)))
        {
            throw new StorageCorruptedException("a retired-slots chunk has the wrong size.");
        }

        var vector = new float[store.Dimension];
        for (var i = 0; i < count; i++)
        {
            var offset = 4 + (i * (4 + vectorBytes));
            var slot = BinaryPrimitives.ReadInt32LittleEndian(body[offset..]);
            if ((uint)slot >= (uint)slotCount)
            {
                throw new StorageCorruptedException($"retired slot {slot} is outside the slab.");
            }

            MemoryMarshal.Cast<byte, float>(body.Slice(offset + 4, vectorBytes)).CopyTo(vector);
            store.Vectors.Restore(slot, vector, live: false);
        }
    }
}
