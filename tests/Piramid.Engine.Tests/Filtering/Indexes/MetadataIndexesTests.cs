using System.Text.Json;
using Piramid.Engine.Filtering.Indexes;
using Piramid.TestKit;
using static Piramid.Engine.Tests.Filtering.Indexes.IndexTestData;

namespace Piramid.Engine.Tests.Filtering.Indexes;

public class MetadataIndexesTests
{
    // One equality, $in on a scalar-only field, or range (one or two bounds) on one field: estimates are exact.
    public static readonly TheoryData<string> SingleConditions = new(
        """{"genre":"g007"}""",
        """{"genre":{"$eq":"g042"}}""",
        """{"genre":"nope"}""",
        """{"category":{"$in":["c001","c002","c003"]}}""",
        """{"category":{"$in":[]}}""",
        """{"tags":"t05"}""",
        """{"tags":"t\"q"}""",
        """{"author.lang":"fr"}""",
        """{"active":true}""",
        """{"active":{"$eq":false}}""",
        """{"active":{"$in":[true]}}""",
        """{"year":500}""",
        """{"year":500.5}""",
        """{"year":{"$gt":990}}""",
        """{"year":{"$gt":10.5}}""",
        """{"year":{"$gte":100,"$lt":200}}""",
        """{"year":{"$lte":3}}""",
        """{"year":{"$lt":0}}""",
        """{"year":{"$gt":600,"$lt":400}}""",
        """{"year":{"$in":[1,2,3]}}""",
        """{"price":{"$gte":25.5,"$lte":26}}""",
        """{"price":0}""",
        """{"price":{"$gt":0,"$lt":0.5}}""",
        """{"sizes":42}""",
        """{"$not":{}}""");

    // Combinations, array-valued numbers and repeated values: estimates are upper bounds.
    public static readonly TheoryData<string> Combinations = new(
        """{"genre":"g001","year":{"$lt":500}}""",
        """{"genre":{"$in":["g001","g002","g003"]}}""",
        """{"$or":[{"genre":"g001"},{"tags":"t03"}]}""",
        """{"$and":[{"title":"x"},{"genre":"g002"}]}""",
        """{"$and":[{"$not":{"genre":"g001"}},{"active":true}]}""",
        """{"$or":[{"$and":[{"year":{"$gte":10,"$lte":20}},{"active":false}]},{"author.lang":"de"}]}""",
        """{"$and":[{"year":{"$gte":100}},{"year":{"$lt":200}}]}""",
        """{"sizes":{"$gte":10,"$lte":12}}""",
        """{"sizes":{"$gt":97}}""",
        """{"sizes":{"$in":[3,4]}}""",
        """{"year":{"$gte":100,"$ne":150}}""",
        """{"category":{"$in":["c001"],"$nin":["c001"]}}""",
        """{"tags":{"$in":["t01","t02"]},"other":3}""",
        """{"$or":[{"genre":"g005"},{"genre":"g005"}]}""");

    // Negations, $exists, unindexed fields and operands of another type than the field's are not estimable.
    public static readonly TheoryData<string> NotEstimable = new(
        """{}""",
        """{"title":"title 5"}""",
        """{"other":3}""",
        """{"genre":{"$ne":"g001"}}""",
        """{"genre":{"$nin":["g001"]}}""",
        """{"year":{"$exists":true}}""",
        """{"$not":{"genre":"g001"}}""",
        """{"$or":[{"genre":"g001"},{"title":"x"}]}""",
        """{"genre":5}""",
        """{"genre":null}""",
        """{"genre":{"$in":["g001",5]}}""",
        """{"genre":{"$gt":"g050"}}""",
        """{"year":"1999"}""",
        """{"year":{"$gt":"1"}}""",
        """{"active":1}""",
        """{"author":{"$exists":true}}""",
        """{"author.name":"x"}""");

    // Filters with a known selectivity over the generated data (integers are uniform on 0..999 for 90% of the
    // points, category uniform on 100 values for 95%): about 10%, 1% and 0.1%.
    public static readonly TheoryData<string, double> Selective = new()
    {
        { """{"year":{"$gte":100,"$lt":211}}""", 0.10 },
        { """{"category":{"$in":["c010","c011","c012","c013","c014","c015","c016","c017","c018","c019","c020"]}}""", 0.10 },
        { """{"category":"c050"}""", 0.01 },
        { """{"year":{"$gte":300,"$lte":310}}""", 0.01 },
        { """{"year":777}""", 0.001 },
        { """{"price":{"$gte":50,"$lt":50.12}}""", 0.001 },
    };

    [Theory]
    [MemberData(nameof(SingleConditions))]
    public void Estimate_SingleCondition_IsExact(string json)
    {
        var filter = Compile(json);
        var indexes = Build(Version1);

        Assert.Equal(BruteForce(filter, Version1).Count, indexes.Estimate(filter));
    }

    [Theory]
    [MemberData(nameof(SingleConditions))]
    public void TryCollect_SingleCondition_ReturnsExactlyTheMatches(string json)
    {
        var filter = Compile(json);
        var indexes = Build(Version1);
        var slots = new List<int> { -1 };

        Assert.True(indexes.TryCollect(filter, slots));
        Assert.Equal(BruteForce(filter, Version1), slots);
    }

    [Theory]
    [MemberData(nameof(Combinations))]
    public void Estimate_Combination_IsUpperBound(string json)
    {
        var filter = Compile(json);
        var indexes = Build(Version1);

        var estimate = indexes.Estimate(filter);

        Assert.NotNull(estimate);
        Assert.InRange(estimate.Value, BruteForce(filter, Version1).Count, Points * 2L);
    }

    [Theory]
    [MemberData(nameof(Combinations))]
    public void TryCollect_Combination_ReturnsSortedSupersetOfMatches(string json)
    {
        var filter = Compile(json);
        var indexes = Build(Version1);
        var slots = new List<int>();

        Assert.True(indexes.TryCollect(filter, slots));

        AssertStrictlyAscending(slots);
        Assert.InRange(slots.Count, 0, indexes.Estimate(filter)!.Value);
        var candidates = slots.ToHashSet();
        Assert.All(BruteForce(filter, Version1), slot => Assert.Contains(slot, candidates));
    }

    [Theory]
    [MemberData(nameof(NotEstimable))]
    public void Estimate_NegationOrUnindexedField_IsNullAndCollectsNothing(string json)
    {
        var filter = Compile(json);
        var indexes = Build(Version1);
        var slots = new List<int> { 1, 2 };

        Assert.Null(indexes.Estimate(filter));
        Assert.False(indexes.TryCollect(filter, slots));
        Assert.Empty(slots);
    }

    [Theory]
    [InlineData("""{"genre":"g007"}""")]
    [InlineData("""{"year":{"$gte":100,"$lt":200}}""")]
    public void Estimate_WithoutSchema_IsNull(string json)
    {
        var indexes = new MetadataIndexes(schema: null);
        indexes.Add(0, Version1[0]);

        Assert.False(indexes.HasIndexes);
        Assert.Null(indexes.Estimate(Compile(json)));
        Assert.False(indexes.TryCollect(Compile(json), []));
    }

    [Fact]
    public void Estimate_TextFieldOnlySchema_IsNull()
    {
        var schema = Piramid.Engine.Metadata.MetadataSchema.Parse(JsonDocument.Parse("""{"title":"text"}""").RootElement);
        var indexes = new MetadataIndexes(schema);

        Assert.False(indexes.HasIndexes);
        Assert.Null(indexes.Estimate(Compile("""{"title":"title 5"}""")));
    }

    [Theory]
    [MemberData(nameof(Selective))]
    public void Estimate_AtSelectivity_IsExact(string json, double selectivity)
    {
        var filter = Compile(json);
        var indexes = Build(Version1);
        var matches = BruteForce(filter, Version1).Count;

        // The data must really be that selective for the check to mean anything.
        Assert.InRange(matches, selectivity * Points / 2, selectivity * Points * 2);
        Assert.Equal(matches, indexes.Estimate(filter));
    }

    [Fact]
    public void RemoveThenAdd_UpdatesAndDeletes_KeepEstimatesAndMatchesExact()
    {
        var indexes = Build(Version1);
        var current = (JsonElement[])Version1.Clone();
        var present = Enumerable.Repeat(true, Points).ToArray();
        var random = new Random(99);

        // Updates, deletes and re-inserts interleaved in random order, enough to compact every set many times.
        for (var i = 0; i < 3 * Points; i++)
        {
            var slot = random.Next(Points);
            if (present[slot])
            {
                indexes.Remove(slot, current[slot]);
                present[slot] = random.Next(4) != 0;
            }
            else
            {
                present[slot] = true;
            }

            if (present[slot])
            {
                current[slot] = random.Next(2) == 0 ? Version2[slot] : Version1[slot];
                indexes.Add(slot, current[slot]);
            }
        }

        Assert.InRange(present.Count(static p => !p), Points / 20, Points / 2);
        var slots = new List<int>();
        foreach (var row in SingleConditions)
        {
            var filter = Compile(row);
            var expected = BruteForce(filter, current, present);
            Assert.Equal(expected.Count, indexes.Estimate(filter));
            Assert.True(indexes.TryCollect(filter, slots));
            Assert.Equal(expected, slots);
        }
    }

    [Fact]
    public void Remove_EveryPoint_LeavesEmptyIndexes()
    {
        var indexes = Build(Version1);
        for (var slot = Points - 1; slot >= 0; slot--)
        {
            indexes.Remove(slot, Version1[slot]);
        }

        foreach (var row in SingleConditions)
        {
            Assert.Equal(0, indexes.Estimate(Compile(row)));
        }
    }

    [Fact]
    public void Estimate_EqualityAndRange_AllocatesNothing()
    {
        var indexes = Build(Version1);
        var keyword = Compile("""{"genre":"g007","active":true}""");
        var range = Compile("""{"$or":[{"year":{"$gte":100,"$lt":200}},{"price":{"$lt":1}}]}""");
        var total = indexes.Estimate(keyword)!.Value + indexes.Estimate(range)!.Value;

        var allocated = Allocations.FewestBytes(() =>
        {
            for (var i = 0; i < 100; i++)
            {
                total += indexes.Estimate(keyword)!.Value + indexes.Estimate(range)!.Value;
            }
        });

        Assert.Equal(0, allocated);
        Assert.True(total > 0);
    }

    private static void AssertStrictlyAscending(List<int> slots)
    {
        for (var i = 1; i < slots.Count; i++)
        {
            Assert.True(slots[i - 1] < slots[i], $"slots[{i - 1}] = {slots[i - 1]} is not below slots[{i}] = {slots[i]}");
        }
    }
}
