using System.Buffers.Binary;
using System.Runtime.InteropServices;
using Piramid.Engine.Collections;
using Piramid.Engine.Storage;

namespace Piramid.Engine.Tests.Collections;

/// <summary>
/// <see cref="CheckpointCodec"/> alone, without files: what it encodes decodes to the same points, slots, deleted
/// graph nodes and graph (searches answer identically, nothing is relinked); version 1 is still read; and damaged
/// chunks are refused as corruption, never as another exception or a half-filled store that looks healthy.
/// </summary>
public sealed class CheckpointCodecTests
{
    [Theory]
    [InlineData(CollectionConfig.Hnsw, "none", 600, CheckpointCodec.Version)]
    [InlineData(CollectionConfig.Hnsw, "int8", 2300, CheckpointCodec.Version)] // past HnswIndexOf.Int8TrainingPoints: the quantizer is trained and saved
    [InlineData(CollectionConfig.Flat, "none", 600, CheckpointCodec.Version)]
    [InlineData(CollectionConfig.Flat, "none", 270_000, CheckpointCodec.Version)] // an 8.6 MB slab: faulted in on another thread while it loads (LargeArrays)
    [InlineData(CollectionConfig.Hnsw, "none", 600, CheckpointCodec.Version3)] // checkpoints written before version 4 still load
    [InlineData(CollectionConfig.Hnsw, "int8", 2300, CheckpointCodec.Version3)]
    [InlineData(CollectionConfig.Flat, "none", 600, CheckpointCodec.Version3)]
    public void EncodeThenDecode_RestoresPointsSlotsAndGraph(string index, string quantization, int points, byte version)
    {
        var random = new Random(11);
        var source = new PointStore(StoreTestData.Config(index, """{"tag":"keyword"}""", quantization));
        for (var i = 0; i < points; i++)
        {
            StoreTestData.Put(source, StoreTestData.Point($"p{i}", StoreTestData.Vector(random), i % 3 == 0 ? null : $"t{i % 7}", i));
        }

        for (var i = 0; i < points; i += 5)
        {
            source.Delete($"p{i}");
        }

        for (var i = 1; i < points; i += 11)
        {
            StoreTestData.Put(source, StoreTestData.Point($"p{i}", StoreTestData.Vector(random), "moved"));
        }

        var restored = new PointStore(StoreTestData.Config(index, """{"tag":"keyword"}""", quantization));
        var chunks = version == CheckpointCodec.Version ? CheckpointCodec.Encode(source, []) : CheckpointCodec.EncodeVersion3(source, []);
        var checkpoint = Checkpoint(chunks);
        Assert.Equal(version, checkpoint.Chunks[0].Span[0]);
        CheckpointCodec.Decode(checkpoint, restored);

        Assert.Equal(source.Count, restored.Count);
        Assert.Equal(source.IdsAfter(null), restored.IdsAfter(null));
        Assert.Equal(source.Vectors.HighWater, restored.Vectors.HighWater);
        foreach (var entry in source.Entries)
        {
            Assert.True(restored.TryGet(entry.Id, out var copy));
            Assert.Equal(entry.Slot, copy.Slot);
            Assert.Equal(source.VectorOf(entry), restored.VectorOf(copy));
            Assert.Equal(StoreTestData.MetadataText(entry), StoreTestData.MetadataText(copy));
        }

        for (var slot = 0; slot < source.Vectors.HighWater; slot++)
        {
            Assert.Equal(source.Vectors.IsRetired(slot), restored.Vectors.IsRetired(slot));
        }

        if (source.Index is { } graph)
        {
            Assert.Equal(0, restored.Index!.LinksMade);
            Assert.Equal(graph.Quantizer is null, restored.Index.Quantizer is null);
            if (graph.CodeStore is { } codes)
            {
                // Saved or encoded again, the codes and their norms are the ones the index walked before.
                var copy = restored.Index.CodeStore!;
                for (var slot = 0; slot < source.Vectors.HighWater; slot++)
                {
                    if (source.Vectors.IsLive(slot) || source.Vectors.IsRetired(slot))
                    {
                        Assert.True(codes.Codes(slot).SequenceEqual(copy.Codes(slot)), $"codes of slot {slot}");
                        Assert.Equal(codes.SquaredNorm(slot), copy.SquaredNorm(slot));
                    }
                }
            }

            for (var q = 0; q < 20; q++)
            {
                var query = StoreTestData.Vector(random);
                Assert.Equal(graph.Search(query, 10, 64, null), restored.Index.Search(query, 10, 64, null));
            }
        }
    }

    [Fact]
    public void Decode_Version1_AddsThePointsAgainAndLinksThem()
    {
        var random = new Random(12);
        var points = Enumerable.Range(0, 50).Select(i => StoreTestData.Point($"p{i}", StoreTestData.Vector(random), $"t{i}")).ToList();
        var header = new byte[13];
        header[0] = CheckpointCodec.Version1;
        BinaryPrimitives.WriteInt64LittleEndian(header.AsSpan(1), points.Count);
        BinaryPrimitives.WriteInt32LittleEndian(header.AsSpan(9), StoreTestData.Dimension);
        var checkpoint = new CheckpointData(7, [header, PointRecordCodec.EncodeUpsert(points[..20]), PointRecordCodec.EncodeUpsert(points[20..])], "v1");

        var store = new PointStore(StoreTestData.Config());
        CheckpointCodec.Decode(checkpoint, store);

        Assert.Equal(points.Count, store.Count);
        Assert.Equal(points.Count, store.Index!.LinksMade);
        Assert.True(store.TryGet("p33", out var entry));
        Assert.Equal(points[33].Vector, store.VectorOf(entry));
    }

    [Fact]
    public void Decode_AnotherDimension_IsCorruption()
    {
        var random = new Random(13);
        var source = new PointStore(StoreTestData.Config());
        StoreTestData.Put(source, StoreTestData.Point("a", StoreTestData.Vector(random), null));
        var chunks = Checkpoint(CheckpointCodec.Encode(source, []));
        BinaryPrimitives.WriteInt32LittleEndian(MemoryMarshal.AsMemory(chunks.Chunks[0]).Span[9..], StoreTestData.Dimension + 1);

        var e = Assert.Throws<StorageCorruptedException>(() => CheckpointCodec.Decode(chunks, new PointStore(StoreTestData.Config())));
        Assert.Contains("does not match this collection", e.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(CollectionConfig.Hnsw, "none", 1100)]
    [InlineData(CollectionConfig.Flat, "none", 1100)]
    [InlineData(CollectionConfig.Hnsw, "int8", 2100)] // with the saved int8 codes
    public void Decode_AnyChunkCutShortOrDropped_IsRefusedAsDamage(string index, string quantization, int points)
    {
        var random = new Random(14);
        var source = new PointStore(StoreTestData.Config(index, quantization: quantization));
        for (var i = 0; i < points; i++)
        {
            StoreTestData.Put(source, StoreTestData.Point($"p{i}", StoreTestData.Vector(random), $"t{i % 3}"));
        }

        for (var i = 0; i < points; i += 4)
        {
            source.Delete($"p{i}");
        }

        var whole = Checkpoint(CheckpointCodec.Encode(source, []));
        for (var c = 0; c < whole.Chunks.Count; c++)
        {
            var dropped = whole.Chunks.Where((_, i) => i != c).ToList();
            AssertRefused(new CheckpointData(whole.Lsn, dropped, "dropped"), index, quantization);
            var length = whole.Chunks[c].Length;
            foreach (var cut in new[] { 0, 1, length / 2, length - 1 }.Where(n => n >= 0 && n < length).Distinct())
            {
                var damaged = whole.Chunks.Select((chunk, i) => i == c ? chunk[..cut] : chunk).ToList();
                AssertRefused(new CheckpointData(whole.Lsn, damaged, $"chunk {c} cut at {cut}"), index, quantization);
            }
        }
    }

    private static void AssertRefused(CheckpointData checkpoint, string index, string quantization)
    {
        // A log record that does not decode (InvalidDataException) closes the collection just as corruption does.
        var e = Record.Exception(() => CheckpointCodec.Decode(checkpoint, new PointStore(StoreTestData.Config(index, quantization: quantization))));
        Assert.True(e is StorageCorruptedException or InvalidDataException, $"{checkpoint.Path}: {e?.GetType().Name ?? "accepted"} {e?.Message}");
    }

    [Fact]
    public void IdsAfterALoad_AreOrderedOnFirstRead_WithTheWritesBeforeIt_AndConcurrentFirstReadsAgree()
    {
        // A load leaves the ids unordered (PointStore.OrderedIds): the first reader orders them, and several first
        // readers at once (as under the collection's read lock) must see one complete order, writes before it included.
        var random = new Random(12);
        var source = new PointStore(StoreTestData.Config());
        for (var i = 0; i < 700; i++)
        {
            StoreTestData.Put(source, StoreTestData.Point($"p{i}", StoreTestData.Vector(random), $"t{i % 5}", i));
        }

        var checkpoint = Checkpoint(CheckpointCodec.Encode(source, []));
        for (var round = 0; round < 5; round++)
        {
            var restored = new PointStore(StoreTestData.Config());
            CheckpointCodec.Decode(checkpoint, restored);
            StoreTestData.Put(restored, StoreTestData.Point($"new{round}", StoreTestData.Vector(random), "t0"));
            Assert.True(restored.Delete($"p{round * 7}"));
            List<string> expected = [.. source.IdsAfter(null).Where(id => id != $"p{round * 7}").Append($"new{round}").Order(StringComparer.Ordinal)];

            const int readers = 6;
            var answers = new List<string>[readers];
            using var start = new Barrier(readers);
            var threads = Enumerable.Range(0, readers).Select(t => new Thread(() =>
            {
                start.SignalAndWait();
                answers[t] = [.. restored.IdsAfter(t % 2 == 0 ? null : "p1")];
            })).ToList();
            threads.ForEach(t => t.Start());
            threads.ForEach(t => t.Join());

            for (var t = 0; t < readers; t++)
            {
                Assert.Equal(t % 2 == 0 ? expected : [.. expected.Where(id => string.CompareOrdinal(id, "p1") > 0)], answers[t]);
            }

            // Once ordered, writes keep the order in step.
            StoreTestData.Put(restored, StoreTestData.Point("a-first", StoreTestData.Vector(random), "t1"));
            Assert.Equal("a-first", restored.IdsAfter(null).First());
        }
    }

    private static CheckpointData Checkpoint(IEnumerable<ReadOnlyMemory<byte>> chunks) =>
        new(1, chunks.Select(c => (ReadOnlyMemory<byte>)c.ToArray()).ToList(), "memory");
}
