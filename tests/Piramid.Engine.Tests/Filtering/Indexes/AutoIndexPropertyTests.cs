using System.Text.Json;
using Piramid.Engine.Filtering;
using Piramid.Engine.Filtering.Indexes;
using Piramid.Engine.Metadata;

namespace Piramid.Engine.Tests.Filtering.Indexes;

/// <summary>
/// Undeclared fields indexed automatically: over random metadata (types changing across points, objects where
/// scalars were, fields that appear only after the collection filled) and random inserts, updates and deletes,
/// every estimate bounds the true matches and every enumeration holds them all, for random filters; with the
/// bound reached the fields seen later are simply not answered.
/// </summary>
public sealed class AutoIndexPropertyTests
{
    private const int Slots = 400;

    [Theory]
    [InlineData(1, 64, null)]
    [InlineData(2, 64, """{"a":"keyword","c":"text"}""")]
    [InlineData(3, 3, null)]
    [InlineData(4, 1, """{"b":"integer"}""")]
    [InlineData(5, 64, null)]
    public void RandomWritesAndFilters_EstimatesBoundAndCollectionsCoverTheBruteForceMatches(int seed, int maxAutoFields, string? schemaJson)
    {
        var random = new Random(seed);
        var generator = new RandomMetadata(random);
        var schema = schemaJson is null ? null : MetadataSchema.Parse(JsonDocument.Parse(schemaJson).RootElement);
        var indexes = new MetadataIndexes(schema, maxAutoFields);
        var current = new JsonElement?[Slots];
        var answered = 0;

        for (var step = 0; step < 6 * Slots; step++)
        {
            // Fields that no point held at first start to appear half way through.
            generator.Late = step > 3 * Slots;
            var slot = random.Next(Slots);
            if (current[slot] is { } old)
            {
                indexes.Remove(slot, old);
                current[slot] = null;
            }

            if (random.Next(5) != 0)
            {
                var text = generator.Metadata();
                var metadata = text is null ? default : JsonDocument.Parse(text).RootElement;
                indexes.Add(slot, metadata);
                current[slot] = metadata;
            }

            if (step % 20 == 0)
            {
                for (var f = 0; f < 5; f++)
                {
                    answered += Check(indexes, current, CompileFilter(generator.Filter(), schema)) ? 1 : 0;
                }
            }
        }

        Assert.True(indexes.AutoFields <= maxAutoFields, $"{indexes.AutoFields} auto fields over the bound {maxAutoFields}");
        // With one auto field most filters name an unindexed one; the others must still be answered often.
        Assert.True(answered >= (maxAutoFields > 1 ? 100 : 10), $"only {answered} random filters were answered from the indexes");
    }

    [Fact]
    public void UndeclaredField_IsAnswered_ExactlyForEachOperandType()
    {
        var indexes = new MetadataIndexes(schema: null, maxAutoFields: 64);
        string[] values = ["\"v\"", "3", "3.0", "true", "[\"v\",4]", "{\"v\":1}", "null"];
        var current = new JsonElement?[values.Length];
        for (var slot = 0; slot < values.Length; slot++)
        {
            current[slot] = JsonDocument.Parse($"{{\"f\":{values[slot]}}}").RootElement;
            indexes.Add(slot, current[slot]!.Value);
        }

        Assert.Equal(["f", "f.v"], indexes.AutoFieldPaths);
        Assert.Equal(2, indexes.Estimate(CompiledFilter.Compile(JsonDocument.Parse("""{"f":"v"}""").RootElement)));
        Assert.Equal(2, indexes.Estimate(CompiledFilter.Compile(JsonDocument.Parse("""{"f":3}""").RootElement)));
        Assert.Equal(3, indexes.Estimate(CompiledFilter.Compile(JsonDocument.Parse("""{"f":{"$gte":3}}""").RootElement)));
        Assert.Equal(1, indexes.Estimate(CompiledFilter.Compile(JsonDocument.Parse("""{"f":true}""").RootElement)));
        Assert.Null(indexes.Estimate(CompiledFilter.Compile(JsonDocument.Parse("""{"f":{"$gt":"a"}}""").RootElement)));
        Assert.Equal(1, indexes.Estimate(CompiledFilter.Compile(JsonDocument.Parse("""{"f.v":1}""").RootElement)));
        Assert.Null(indexes.Estimate(CompiledFilter.Compile(JsonDocument.Parse("""{"f":{"$ne":"v"}}""").RootElement)));
    }

    [Fact]
    public void OptedOut_IndexesNoUndeclaredField()
    {
        var indexes = new MetadataIndexes(schema: null, maxAutoFields: 0);
        indexes.Add(0, JsonDocument.Parse("""{"f":"v"}""").RootElement);

        Assert.False(indexes.HasIndexes);
        Assert.Null(indexes.Estimate(CompiledFilter.Compile(JsonDocument.Parse("""{"f":"v"}""").RootElement)));
    }

    // True when the indexes answered; then the estimate must bound, and the enumeration cover, the true matches.
    private static bool Check(MetadataIndexes indexes, JsonElement?[] current, CompiledFilter? filter)
    {
        if (filter is null)
        {
            return false;
        }

        var expected = new List<int>();
        for (var slot = 0; slot < current.Length; slot++)
        {
            if (current[slot] is { } metadata && filter.Matches(metadata))
            {
                expected.Add(slot);
            }
        }

        var estimate = indexes.Estimate(filter);
        var slots = new List<int>();
        var collected = indexes.TryCollect(filter, slots);
        Assert.Equal(estimate is not null, collected);
        if (estimate is null)
        {
            return false;
        }

        Assert.True(estimate >= expected.Count, $"estimate {estimate} below the {expected.Count} true matches");
        Assert.True(slots.Count <= estimate, $"{slots.Count} slots collected above the estimate {estimate}");
        for (var i = 1; i < slots.Count; i++)
        {
            Assert.True(slots[i - 1] < slots[i], "collected slots are not strictly ascending");
        }

        var candidates = slots.ToHashSet();
        var missed = expected.Where(s => !candidates.Contains(s)).ToList();
        Assert.True(missed.Count == 0, $"slots {string.Join(',', missed)} match but were not collected");
        return true;
    }

    // A filter with an operand the schema refuses (a number on a keyword field) is the caller's error: skipped.
    private static CompiledFilter? CompileFilter(string json, MetadataSchema? schema)
    {
        try
        {
            return CompiledFilter.Compile(JsonDocument.Parse(json).RootElement, schema);
        }
        catch (FilterException)
        {
            return null;
        }
    }
}
