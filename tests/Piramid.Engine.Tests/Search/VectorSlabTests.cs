using System.Runtime.InteropServices;
using Piramid.Engine.Search;

namespace Piramid.Engine.Tests.Search;

public sealed class VectorSlabTests
{
    [Fact]
    public void Add_AssignsSequentialSlotsAndStoresCopies()
    {
        var slab = new VectorSlab(3);
        float[] a = [1f, 2f, 3f];
        float[] b = [3f, 4f, 0f];
        Assert.Equal(0, slab.Add(a));
        Assert.Equal(1, slab.Add(b));
        a[0] = 99f;

        Assert.Equal([1f, 2f, 3f], slab.Get(0).ToArray());
        Assert.Equal([3f, 4f, 0f], slab.Get(1).ToArray());
        Assert.Equal(0.2f, slab.InverseNorm(1), 6);
        Assert.Equal(2, slab.Count);
        Assert.Equal(2, slab.HighWater);
        Assert.Equal(3, slab.Dimension);
    }

    [Fact]
    public void Remove_ThenAdd_ReusesFreedSlotLastFreedFirst()
    {
        var slab = new VectorSlab(2);
        for (int i = 0; i < 5; i++)
        {
            slab.Add([i, i]);
        }

        slab.Remove(1);
        slab.Remove(3);
        Assert.False(slab.IsLive(1));
        Assert.False(slab.IsLive(3));
        Assert.Equal(3, slab.Count);
        Assert.Equal(5, slab.HighWater);

        Assert.Equal(3, slab.Add([7f, 7f]));
        Assert.Equal(1, slab.Add([8f, 8f]));
        Assert.Equal(5, slab.Add([9f, 9f]));
        Assert.Equal([7f, 7f], slab.Get(3).ToArray());
        Assert.Equal([8f, 8f], slab.Get(1).ToArray());
        Assert.Equal(6, slab.Count);
        Assert.Equal(6, slab.HighWater);
    }

    [Fact]
    public void Add_BeyondCapacity_GrowsAndKeepsEveryVector()
    {
        var slab = new VectorSlab(17, initialCapacity: 1);
        var vectors = SearchTestData.RandomVectors(seed: 11, count: 1000, dimension: 17);
        foreach (var vector in vectors)
        {
            slab.Add(vector);
        }

        Assert.Equal(1000, slab.Count);
        Assert.True(slab.Capacity >= 1000);
        for (int slot = 0; slot < vectors.Length; slot++)
        {
            Assert.Equal(vectors[slot], slab.Get(slot).ToArray());
            Assert.Equal(1f / MathF.Sqrt(vectors[slot].Sum(x => x * x)), slab.InverseNorm(slot), 5);
        }
    }

    [Fact]
    public void Reserve_GrowsOnceToWhatIsAsked_AndKeepsTheVectors()
    {
        // A checkpoint's load reserves all its slots: one slab of that size, not every doubling on the way there.
        var slab = new VectorSlab(8, initialCapacity: 4);
        var vectors = SearchTestData.RandomVectors(seed: 5, count: 3, dimension: 8);
        foreach (var vector in vectors)
        {
            slab.Add(vector);
        }

        slab.Reserve(100_000);
        Assert.Equal(100_003, slab.Capacity);
        slab.Reserve(10);
        Assert.Equal(100_003, slab.Capacity); // room already
        Assert.Equal(vectors, Enumerable.Range(0, 3).Select(s => slab.Get(s).ToArray()));
    }

    [Fact]
    public void ZeroInitialCapacity_GrowsOnFirstAdd()
    {
        var slab = new VectorSlab(4, initialCapacity: 0);
        Assert.Equal(0, slab.Add([1f, 0f, 0f, 0f]));
        Assert.Equal(1f, slab.InverseNorm(0));
    }

    [Fact]
    public void Set_OverwritesVectorAndInverseNorm()
    {
        var slab = new VectorSlab(2);
        int slot = slab.Add([3f, 4f]);
        slab.Set(slot, [0f, 0f]);
        Assert.Equal([0f, 0f], slab.Get(slot).ToArray());
        Assert.Equal(0f, slab.InverseNorm(slot));
        slab.Set(slot, [0f, 2f]);
        Assert.Equal(0.5f, slab.InverseNorm(slot));
        Assert.Equal(1, slab.Count);
    }

    [Fact]
    public void DeadOrUnknownSlots_AreRejected()
    {
        var slab = new VectorSlab(2);
        int slot = slab.Add([1f, 1f]);
        slab.Remove(slot);

        Assert.Throws<ArgumentOutOfRangeException>(() => slab.Remove(slot));
        Assert.Throws<ArgumentOutOfRangeException>(() => slab.Get(slot).ToArray());
        Assert.Throws<ArgumentOutOfRangeException>(() => slab.Set(slot, [1f, 1f]));
        Assert.Throws<ArgumentOutOfRangeException>(() => slab.InverseNorm(slot));
        Assert.False(slab.IsLive(-1));
        Assert.False(slab.IsLive(5));
        Assert.Equal(0, slab.Count);
    }

    [Fact]
    public void WrongDimension_IsRejected()
    {
        var slab = new VectorSlab(3);
        Assert.Throws<ArgumentException>(() => slab.Add([1f, 2f]));
        int slot = slab.Add([1f, 2f, 3f]);
        Assert.Throws<ArgumentException>(() => slab.Set(slot, [1f, 2f, 3f, 4f]));
        Assert.Throws<ArgumentOutOfRangeException>(() => new VectorSlab(0));
        Assert.Throws<ArgumentOutOfRangeException>(() => new VectorSlab(2, -1));
    }

    // Every vector starts on a 64-byte line when its size is a multiple of 64 bytes, from the first slot and
    // after each growth (the slab doubles from 16 to 1024 slots here), with every value kept; scans and graph
    // walks see the same vectors as Get.
    [Theory]
    [InlineData(16)]
    [InlineData(256)]
    [InlineData(784)]
    public void Vectors_StartOnCacheLines_AcrossGrowth_AndKeepTheirValues(int dimension)
    {
        var slab = new VectorSlab(dimension, initialCapacity: 16);
        var random = new Random(dimension);
        var vectors = Enumerable.Range(0, 1000)
            .Select(_ => Enumerable.Range(0, dimension).Select(_ => (float)random.NextDouble()).ToArray())
            .ToArray();
        for (var i = 0; i < vectors.Length; i++)
        {
            Assert.Equal(i, slab.Add(vectors[i]));
            Assert.Equal(0, AddressOf(slab, 0) % 64);
        }

        for (var slot = 0; slot < vectors.Length; slot++)
        {
            Assert.Equal(0, AddressOf(slab, slot) % 64);
            Assert.Equal(vectors[slot], slab.Get(slot).ToArray());
        }

        var query = vectors[123];
        var nearest = ExactSearch.Search(slab, DistanceMetric.Euclidean, query, 1, null, null);
        Assert.Equal(123, nearest[0].Slot);
    }

    private static long AddressOf(VectorSlab slab, int slot)
    {
        var handle = GCHandle.Alloc(slab.Data, GCHandleType.Pinned);
        try
        {
            return handle.AddrOfPinnedObject() + ((slab.DataOffset + ((long)slot * slab.Dimension)) * sizeof(float));
        }
        finally
        {
            handle.Free();
        }
    }
}
