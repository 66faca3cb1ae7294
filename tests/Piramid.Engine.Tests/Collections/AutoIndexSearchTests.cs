using System.Text.Json;
using Piramid.Engine.Collections;
using Piramid.Engine.Commands;
using Piramid.Engine.Filtering;
using Piramid.Engine.Queries;
using Piramid.Engine.Tests.Filtering.Indexes;

namespace Piramid.Engine.Tests.Collections;

/// <summary>
/// Filtered search on undeclared fields through a real engine (log on disk): after random upserts, updates,
/// deletes and fields that appear late, a search for every point returns exactly the points a brute-force
/// evaluation of the filter selects; the same holds after a restart from the log and from a checkpoint, where the
/// indexes are rebuilt from the points.
/// </summary>
public sealed class AutoIndexSearchTests
{
    private const int Ids = 300;
    private const int Dimension = 8;

    [Theory]
    [InlineData("flat", true, 11)]
    [InlineData("hnsw", true, 12)]
    [InlineData("flat", false, 13)]
    public async Task RandomWrites_FilteredSearch_EqualsBruteForce_AcrossRestarts(string index, bool autoIndex, int seed)
    {
        await using var harness = await EngineHarness.StartAsync();
        harness.Engine.Create("c", new CreateCollection(Dimension, "euclidean", new IndexSpec(index, 16, 100), AutoIndex: autoIndex), out _);
        var random = new Random(seed);
        var generator = new RandomMetadata(random);
        var model = new Dictionary<string, string?>(StringComparer.Ordinal);

        for (var round = 0; round < 3; round++)
        {
            generator.Late = round > 0;
            for (var batch = 0; batch < 20; batch++)
            {
                await WriteBatchAsync(harness.Engine.Get("c"), random, generator, model);
            }

            AssertFiltersMatchBruteForce(harness.Engine.Get("c"), random, generator, model);
            if (round == 1)
            {
                Assert.True(harness.Engine.Get("c").Checkpoint(force: true));
            }

            await harness.ReopenAsync();
            AssertFiltersMatchBruteForce(harness.Engine.Get("c"), random, generator, model);
        }

        Assert.Equal(autoIndex, harness.Engine.Get("c").Describe().AutoIndex);
    }

    private static async Task WriteBatchAsync(Collection collection, Random random, RandomMetadata generator, Dictionary<string, string?> model)
    {
        if (random.Next(4) == 0)
        {
            var ids = Enumerable.Range(0, 5).Select(_ => $"p{random.Next(Ids)}").Distinct().ToList();
            await collection.DeleteAsync(new DeletePoints(ids));
            ids.ForEach(id => model.Remove(id));
            return;
        }

        var points = new List<NewPoint?>();
        foreach (var id in Enumerable.Range(0, 10).Select(_ => $"p{random.Next(Ids)}").Distinct())
        {
            var metadata = generator.Metadata();
            var vector = Enumerable.Range(0, Dimension).Select(_ => (float)random.NextDouble()).ToArray();
            points.Add(new NewPoint(id, vector, metadata is null ? default : JsonDocument.Parse(metadata).RootElement));
            model[id] = metadata;
        }

        await collection.UpsertAsync(new UpsertPoints(points));
    }

    private static void AssertFiltersMatchBruteForce(Collection collection, Random random, RandomMetadata generator, Dictionary<string, string?> model)
    {
        var query = new float[Dimension];
        for (var f = 0; f < 60; f++)
        {
            var json = generator.Filter();
            var filter = JsonDocument.Parse(json).RootElement;
            var compiled = CompiledFilter.Compile(filter);
            var expected = model
                .Where(p => compiled.Matches(p.Value is null ? default : JsonDocument.Parse(p.Value).RootElement))
                .Select(p => p.Key)
                .Order(StringComparer.Ordinal);

            // Every matching point fits in the answer and top_k (as ef) covers the collection, so every plan is exact:
            // the indexed matches or a scan, on flat and graph collections alike.
            var found = collection.Search(new SearchQuery { Vector = query, TopK = Ids, Filter = filter, IncludeMetadata = false })
                .Select(r => r.Id)
                .Order(StringComparer.Ordinal);
            Assert.True(expected.SequenceEqual(found), $"filter {json}: expected [{string.Join(',', expected)}], got [{string.Join(',', found)}]");
        }
    }
}
