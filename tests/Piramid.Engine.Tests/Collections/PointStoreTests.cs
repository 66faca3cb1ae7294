using System.Text.Json;
using Piramid.Engine.Collections;
using Piramid.Engine.Filtering;

namespace Piramid.Engine.Tests.Collections;

/// <summary>
/// <see cref="PointStore"/> alone: random upserts, moves and deletes against a dictionary model keep the ids, the
/// id order, the vectors, the slot table, the graph and the metadata indexes in step.
/// </summary>
public sealed class PointStoreTests
{
    [Theory]
    [InlineData(CollectionConfig.Hnsw, 1)]
    [InlineData(CollectionConfig.Hnsw, 2)]
    [InlineData(CollectionConfig.Flat, 3)]
    [InlineData(CollectionConfig.Flat, 4)]
    public void RandomUpsertsAndDeletes_MatchADictionaryModel(string index, int seed)
    {
        var random = new Random(seed);
        var store = new PointStore(StoreTestData.Config(index, """{"tag":"keyword"}"""));
        var model = new Dictionary<string, (float[] Vector, string? Tag)>(StringComparer.Ordinal);
        for (var step = 0; step < 3000; step++)
        {
            var id = $"p{random.Next(400)}";
            if (random.Next(4) == 0)
            {
                Assert.Equal(model.Remove(id), store.Delete(id));
                continue;
            }

            // Some upserts keep the vector (metadata only), which must not move a graph node.
            var vector = model.TryGetValue(id, out var old) && random.Next(3) == 0 ? old.Vector : StoreTestData.Vector(random);
            var tag = random.Next(5) == 0 ? null : $"t{random.Next(10)}";
            StoreTestData.Put(store, StoreTestData.Point(id, vector, tag));
            model[id] = (vector, tag);
        }

        Assert.Equal(model.Count, store.Count);
        Assert.Equal(model.Count, store.LiveCount);
        Assert.Equal(model.Keys.Order(StringComparer.Ordinal), store.IdsAfter(null));
        foreach (var entry in store.Entries)
        {
            Assert.Same(entry, store.BySlot[entry.Slot]);
            Assert.True(store.Vectors.IsLive(entry.Slot));
            Assert.Equal(model[entry.Id].Vector, store.VectorOf(entry));
            Assert.Equal(model[entry.Id].Tag is { } t ? $$"""{"tag":"{{t}}","n":0}""" : null, StoreTestData.MetadataText(entry));
        }

        var liveSlots = Enumerable.Range(0, store.Vectors.HighWater).Count(store.Vectors.IsLive);
        Assert.Equal(model.Count, liveSlots);
        for (var t = 0; t < 10; t++)
        {
            var filter = CompiledFilter.Compile(JsonDocument.Parse($$"""{"tag":"t{{t}}"}""").RootElement);
            Assert.Equal(model.Values.Count(v => v.Tag == $"t{t}"), store.MetadataIndexes.Estimate(filter));
        }

        if (store.Index is { } graph)
        {
            for (var slot = 0; slot < store.Vectors.HighWater; slot++)
            {
                Assert.Equal(store.Vectors.IsLive(slot), graph.IsLiveNode(slot));
                Assert.Equal(store.Vectors.IsRetired(slot), graph.IsDeletedNode(slot));
            }
        }
    }

    [Fact]
    public void Upsert_NewVectorOnAGraph_MovesThePointAndLeavesADeletedNode()
    {
        var random = new Random(5);
        var store = new PointStore(StoreTestData.Config());
        StoreTestData.Put(store, StoreTestData.Point("a", StoreTestData.Vector(random), "x"));
        store.TryGet("a", out var entry);
        var oldSlot = entry.Slot;

        var toLink = store.Upsert(StoreTestData.Point("a", StoreTestData.Vector(random), "y"));

        Assert.NotEqual(oldSlot, toLink);
        Assert.Equal(toLink, entry.Slot);
        Assert.Null(store.BySlot[oldSlot]);
        Assert.True(store.Vectors.IsRetired(oldSlot));
        Assert.True(store.Index!.IsDeletedNode(oldSlot));
        Assert.Equal(1, store.Count);
    }

    [Fact]
    public void Upsert_NewVectorOnFlat_KeepsTheSlotAndNeedsNoLink()
    {
        var random = new Random(6);
        var store = new PointStore(StoreTestData.Config(CollectionConfig.Flat));
        StoreTestData.Put(store, StoreTestData.Point("a", StoreTestData.Vector(random), null));
        store.TryGet("a", out var entry);
        var slot = entry.Slot;
        var vector = StoreTestData.Vector(random);

        Assert.Equal(-1, store.Upsert(StoreTestData.Point("a", vector, null)));
        Assert.Equal(slot, entry.Slot);
        Assert.Equal(vector, store.VectorOf(entry));
    }

    [Fact]
    public void IdsAfter_ListsStrictlyLaterIdsInOrdinalOrder()
    {
        var random = new Random(7);
        var store = new PointStore(StoreTestData.Config(CollectionConfig.Flat));
        foreach (var id in new[] { "b", "a", "B", "c", "ab" })
        {
            StoreTestData.Put(store, StoreTestData.Point(id, StoreTestData.Vector(random), null));
        }

        Assert.Equal(["B", "a", "ab", "b", "c"], store.IdsAfter(null));
        Assert.Equal(["ab", "b", "c"], store.IdsAfter("a"));
        Assert.Equal(["ab", "b", "c"], store.IdsAfter("aa"));
        Assert.Equal(["b", "c"], store.IdsAfter("ab"));
        Assert.Empty(store.IdsAfter("c"));
        Assert.Empty(store.IdsAfter("d"));
    }

    [Fact]
    public void TryRestore_RefusesASlotOutsideTheSlabOrARepeatedId()
    {
        var random = new Random(8);
        var store = new PointStore(StoreTestData.Config(CollectionConfig.Flat));
        Assert.True(store.TryRestore(3, 4, StoreTestData.Point("a", StoreTestData.Vector(random), null)));
        Assert.False(store.TryRestore(4, 4, StoreTestData.Point("b", StoreTestData.Vector(random), null)));
        Assert.False(store.TryRestore(-1, 4, StoreTestData.Point("b", StoreTestData.Vector(random), null)));
        Assert.False(store.TryRestore(1, 4, StoreTestData.Point("a", StoreTestData.Vector(random), null)));
        Assert.Equal(1, store.Count);
    }

    [Fact]
    public void Clear_ForgetsEveryPoint()
    {
        var random = new Random(9);
        var store = new PointStore(StoreTestData.Config());
        StoreTestData.Put(store, StoreTestData.Point("a", StoreTestData.Vector(random), null));
        store.Clear();
        Assert.Equal(0, store.Count);
        Assert.Equal(0, store.LiveCount);
        Assert.False(store.Contains("a"));
        Assert.Empty(store.IdsAfter(null));
    }
}
