using System.Runtime.InteropServices;
using System.Security.Cryptography;
using Piramid.Engine.Collections;
using Piramid.Engine.Idempotency;
using Piramid.Engine.Storage;
using Piramid.Engine.Tests.Collections;

namespace Piramid.Engine.Tests.Idempotency;

/// <summary>
/// The idempotency fields on disk: wrapped log records and checkpoint chunks round-trip every field; a version 1
/// record and a version 2 checkpoint (written before) still decode; any cut is refused, never misread.
/// </summary>
public sealed class IdempotencyCodecTests
{
    [Fact]
    public void WrappedRecord_RoundTrips_AndAPlainOneIsUntouched()
    {
        var record = PointRecordCodec.EncodeDelete(["a", "b"]);
        var key = IdempotencyEngine.Key(new string('k', WriteIdempotency.MaxKeyLength), "body", "POST /v1/collections/dé/points/delete");
        var at = IdempotencyEngine.Start.AddMilliseconds(1234);

        var inner = IdempotencyCodec.Unwrap(IdempotencyCodec.Wrap(key, 2, at, record), 99, out var found);

        Assert.Equal(record, inner.ToArray());
        Assert.Equal((key.Scope, key.Key, 2L, 99L, at), (found!.Scope, found.Key, found.Count, found.Lsn, found.RecordedAt));
        Assert.Equal(key.RequestHash, found.RequestHash);
        Assert.Equal(record, IdempotencyCodec.Unwrap(record, 5, out var none).ToArray());
        Assert.Null(none);
    }

    [Fact]
    public void WrappedRecord_CutAnywhereInItsFields_IsInvalidData()
    {
        var key = IdempotencyEngine.Key("key", "body");
        var wrapped = IdempotencyCodec.Wrap(key, 1, IdempotencyEngine.Start, PointRecordCodec.EncodeDelete(["a"]));
        var fields = wrapped.Length - PointRecordCodec.EncodeDelete(["a"]).Length;
        for (var cut = 1; cut < fields; cut++)
        {
            var bytes = wrapped[..cut];
            Assert.Throws<InvalidDataException>(() => IdempotencyCodec.Unwrap(bytes, 1, out _));
        }
    }

    [Fact]
    public void Checkpoint_RoundTripsEveryRecord_AcrossChunks()
    {
        var store = new PointStore(StoreTestData.Config(CollectionConfig.Flat));
        var records = Enumerable.Range(0, CheckpointCodec.PointsPerChunk + 3)
            .Select(i => new IdempotencyRecord($"POST /p{i}", $"k{i}", SHA256.HashData(BitConverter.GetBytes(i)), i % 5, i + 1, IdempotencyEngine.Start.AddSeconds(i)))
            .ToList();

        var decoded = CheckpointCodec.Decode(Checkpoint(CheckpointCodec.Encode(store, records)), new PointStore(StoreTestData.Config(CollectionConfig.Flat)));

        Assert.Equal(records.Count, decoded.Count);
        for (var i = 0; i < records.Count; i++)
        {
            Assert.Equal(records[i] with { RequestHash = [] }, decoded[i] with { RequestHash = [] });
            Assert.Equal(records[i].RequestHash, decoded[i].RequestHash);
        }
    }

    [Fact]
    public void Version2Checkpoint_DecodesWithoutRecords()
    {
        var random = new Random(3);
        var source = new PointStore(StoreTestData.Config(CollectionConfig.Flat));
        StoreTestData.Put(source, StoreTestData.Point("a", StoreTestData.Vector(random), null));
        var checkpoint = Checkpoint(CheckpointCodec.EncodeVersion3(source, []));
        MemoryMarshal.AsMemory(checkpoint.Chunks[0]).Span[0] = CheckpointCodec.Version2;

        var restored = new PointStore(StoreTestData.Config(CollectionConfig.Flat));
        Assert.Empty(CheckpointCodec.Decode(checkpoint, restored));
        Assert.Equal(1, restored.Count);
    }

    [Fact]
    public void CheckpointChunk_CutAnywhere_IsRefusedAsDamage()
    {
        var records = new List<IdempotencyRecord> { new("POST /p", "k", new byte[32], 1, 1, IdempotencyEngine.Start) };
        var whole = Checkpoint(CheckpointCodec.Encode(new PointStore(StoreTestData.Config(CollectionConfig.Flat)), records));
        var last = whole.Chunks.Count - 1;
        for (var cut = 1; cut < whole.Chunks[last].Length; cut++)
        {
            var damaged = whole.Chunks.Select((c, i) => i == last ? c[..cut] : c).ToList();
            Assert.Throws<StorageCorruptedException>(() =>
                CheckpointCodec.Decode(new CheckpointData(1, damaged, $"cut at {cut}"), new PointStore(StoreTestData.Config(CollectionConfig.Flat))));
        }
    }

    private static CheckpointData Checkpoint(IEnumerable<ReadOnlyMemory<byte>> chunks) =>
        new(1, chunks.Select(c => (ReadOnlyMemory<byte>)c.ToArray()).ToList(), "memory");
}
