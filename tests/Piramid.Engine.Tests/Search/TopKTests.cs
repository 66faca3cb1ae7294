using Piramid.Engine.Search;

namespace Piramid.Engine.Tests.Search;

public sealed class TopKTests
{
    [Fact]
    public void Add_RandomStream_KeepsBestKInOrder()
    {
        var random = new Random(7);
        var all = new List<ScoredSlot>();
        var topK = new TopK(10);
        for (int slot = 0; slot < 1000; slot++)
        {
            // Few distinct scores so ties are frequent.
            float score = random.Next(50) / 4f;
            all.Add(new ScoredSlot(slot, score));
            topK.Add(slot, score);
        }

        var expected = all.OrderByDescending(p => p.Score).ThenBy(p => p.Slot).Take(10).ToArray();
        Assert.Equal(expected, topK.ToSortedArray());
        Assert.Equal(10, topK.Count);
    }

    [Fact]
    public void Add_TiesInAnyOrder_PreferSmallerSlot()
    {
        var topK = new TopK(3);
        foreach (int slot in new[] { 9, 4, 7, 1, 8, 2 })
        {
            topK.Add(slot, 0.5f);
        }

        Assert.Equal([new(1, 0.5f), new(2, 0.5f), new(4, 0.5f)], topK.ToSortedArray());
    }

    [Fact]
    public void Threshold_IsNegativeInfinityUntilFullThenWorstKept()
    {
        var topK = new TopK(3);
        topK.Add(0, 5f);
        topK.Add(1, 1f);
        Assert.Equal(float.NegativeInfinity, topK.Threshold);
        topK.Add(2, 3f);
        Assert.Equal(1f, topK.Threshold);
        topK.Add(3, 4f);
        Assert.Equal(3f, topK.Threshold);
        topK.Add(4, 2f);
        Assert.Equal(3f, topK.Threshold);
        Assert.Equal([new(0, 5f), new(3, 4f), new(2, 3f)], topK.ToSortedArray());
    }

    [Fact]
    public void Reset_ReusesForNewK()
    {
        var topK = new TopK(2);
        topK.Add(0, 1f);
        topK.Add(1, 2f);
        topK.Add(2, 3f);

        topK.Reset(4);
        Assert.Equal(0, topK.Count);
        Assert.Equal(float.NegativeInfinity, topK.Threshold);
        for (int slot = 10; slot < 16; slot++)
        {
            topK.Add(slot, slot);
        }

        Assert.Equal([new(15, 15f), new(14, 14f), new(13, 13f), new(12, 12f)], topK.ToSortedArray());

        topK.Reset(1);
        topK.Add(3, -1f);
        topK.Add(2, -1f);
        Assert.Equal([new ScoredSlot(2, -1f)], topK.ToSortedArray());
    }

    [Fact]
    public void ToSortedArray_LeavesStateUnchanged()
    {
        var topK = new TopK(3);
        topK.Add(0, 1f);
        topK.Add(1, 3f);
        topK.Add(2, 2f);
        var first = topK.ToSortedArray();
        topK.Add(3, 2.5f);
        Assert.Equal([new(1, 3f), new(2, 2f), new(0, 1f)], first);
        Assert.Equal([new(1, 3f), new(3, 2.5f), new(2, 2f)], topK.ToSortedArray());
    }

    [Fact]
    public void Add_NaN_IsIgnored()
    {
        var topK = new TopK(2);
        topK.Add(0, float.NaN);
        topK.Add(1, -100f);
        Assert.Equal([new ScoredSlot(1, -100f)], topK.ToSortedArray());
    }

    [Fact]
    public void ZeroK_KeepsNothing()
    {
        var topK = new TopK(0);
        topK.Add(0, 1f);
        Assert.Equal(0, topK.Count);
        Assert.Empty(topK.ToSortedArray());
        Assert.Throws<ArgumentOutOfRangeException>(() => new TopK(-1));
    }
}
