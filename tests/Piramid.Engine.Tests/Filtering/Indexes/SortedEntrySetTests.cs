using Piramid.Engine.Filtering.Indexes;

namespace Piramid.Engine.Tests.Filtering.Indexes;

public class SortedEntrySetTests
{
    [Theory]
    [InlineData(1, 500)]
    [InlineData(2, 5_000)]
    [InlineData(3, 50_000)]
    public void AddRemove_RandomOperations_MatchSortedSetModel(int seed, int universe)
    {
        var random = new Random(seed);
        var set = new SortedEntrySet<SlotEntry>();
        var model = new SortedSet<int>();
        var slots = new List<int>();

        for (var step = 0; step < 40_000; step++)
        {
            // Phases of ascending appends (new points) alternate with random updates, as in a collection.
            var slot = step % 10_000 < 2_000 ? step % universe : random.Next(universe);
            if (random.Next(3) == 0)
            {
                Assert.Equal(model.Remove(slot), set.Remove(new SlotEntry(slot)));
            }
            else
            {
                Assert.Equal(model.Add(slot), set.Add(new SlotEntry(slot)));
            }

            if (step % 997 == 0)
            {
                Assert.Equal(model.Count, set.Count);
                var low = random.Next(universe);
                var high = low + random.Next(universe / 4);
                Assert.Equal(model.GetViewBetween(low, high).Count, set.CountRange(new SlotEntry(low), new SlotEntry(high)));

                slots.Clear();
                set.CollectRange(new SlotEntry(low), new SlotEntry(high), slots);
                slots.Sort();
                Assert.Equal(model.GetViewBetween(low, high), slots);

                slots.Clear();
                set.CollectAll(slots);
                slots.Sort();
                Assert.Equal(model, slots);
            }
        }
    }

    [Fact]
    public void CountRange_NumericBounds_IncludeBothEndsAndEveryZero()
    {
        var set = new SortedEntrySet<NumericEntry>();
        set.Add(new NumericEntry(-0.0, 3));
        set.Add(new NumericEntry(0.0, 1));
        set.Add(new NumericEntry(1.5, 2));
        set.Add(new NumericEntry(1.5, 0));
        set.Add(new NumericEntry(-7, 4));

        Assert.Equal(2, set.CountRange(NumericEntry.LowerBound(0), NumericEntry.UpperBound(0)));
        Assert.Equal(4, set.CountRange(NumericEntry.LowerBound(0), NumericEntry.UpperBound(1.5)));
        Assert.Equal(1, set.CountRange(NumericEntry.LowerBound(double.NegativeInfinity), NumericEntry.UpperBound(-1)));
        Assert.False(set.Add(new NumericEntry(1.5, 0)));
        Assert.True(set.Remove(new NumericEntry(1.5, 0)));
        Assert.Equal(1, set.CountRange(NumericEntry.LowerBound(1.5), NumericEntry.UpperBound(1.5)));
    }
}
