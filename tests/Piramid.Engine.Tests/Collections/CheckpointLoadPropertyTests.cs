using System.Text.Json;
using Piramid.Contracts;
using Piramid.Engine.Commands;
using Piramid.Engine.Queries;
using Piramid.Engine.Tests.Storage;
using Piramid.KeyWrapping;

namespace Piramid.Engine.Tests.Collections;

/// <summary>
/// A collection loaded from its checkpoint (version 4: slab, codes and graph as stored) answers exactly as it did
/// before it stopped, ids, scores and metadata, with and without filters: from the checkpoint alone (a clean stop, as a
/// hibernation ends; the graph as stored) and from a crash image, where the log after the checkpoint is replayed on top
/// (relinked in the background, so compared by walks that visit every node). Seeded random
/// collections: three metrics, float and int8, deleted points, moved points (retired graph nodes).
/// </summary>
public sealed class CheckpointLoadPropertyTests
{
    private const int Queries = 25;

    [Theory]
    [InlineData("cosine", "none", 1)]
    [InlineData("euclidean", "none", 2)]
    [InlineData("dot", "none", 3)]
    [InlineData("cosine", "int8", 4)]
    [InlineData("euclidean", "int8", 5)]
    [InlineData("dot", "int8", 6)]
    public async Task ALoadedCollection_AnswersExactlyAsBefore_FromTheCheckpoint_AndWithTheLogReplayedOnTop(string metric, string quantization, int seed)
    {
        var random = new Random(seed);
        var dimension = 8 + random.Next(40);
        var points = 2200 + random.Next(800); // past the int8 training threshold (2048)
        await using var harness = await EngineHarness.StartAsync();
        var collection = harness.CreateHnsw("c", dimension, metric, efConstruction: 40, schema: new { tag = "keyword" }, quantization: quantization);
        await EngineHarness.UpsertAsync(collection, Vectors(random, points, dimension), 0, Metadata);
        await DeleteSomeAsync(collection, random, points);
        await EngineHarness.UpsertAsync(collection, Vectors(random, 40, dimension), random.Next(points - 40), Metadata); // moved: new vectors
        Assert.True(collection.Checkpoint(force: true));

        // Only in the log: more points, deletes and moves after the checkpoint.
        await EngineHarness.UpsertAsync(collection, Vectors(random, 300, dimension), points, Metadata);
        await DeleteSomeAsync(collection, random, points + 300);
        await EngineHarness.UpsertAsync(collection, Vectors(random, 25, dimension), random.Next(points), Metadata);

        var queries = Vectors(random, Queries, dimension);
        var filters = new[] { default, JsonDocument.Parse("""{"tag":"t1"}""").RootElement, JsonDocument.Parse("""{"n":{"$lt":700}}""").RootElement };
        await collection.WhenLinkedAsync(); // writes are linked behind their acknowledgement (docs/design/ingest.md)
        var before = Answers(collection, queries, filters);
        var exhaustiveBefore = Answers(collection, queries, filters, Limits.MaxTopK);

        using (var image = new TempDirectory())
        {
            CopyDirectory(harness.DataDirectory, image.Path);
            using var key = PlatformKey.FromBase64(harness.PlatformKeyText);
            await using var recovered = VectorEngine.Open(new EngineOptions { DataDirectory = image.Path, MaintenanceInterval = TimeSpan.FromHours(1), CheckpointInterval = TimeSpan.FromDays(1) }, key);
            var replayed = recovered.Get("c");
            Assert.Null(replayed.FailureReason);
            Assert.Equal(collection.Count, replayed.Count);

            // Replay hands the log's points to the background linker, which links them in its own order: the graph is
            // another graph than the one that answered before, so only a walk that visits every node must agree.
            await replayed.WhenLinkedAsync();
            AssertSame(exhaustiveBefore, Answers(replayed, queries, filters, Limits.MaxTopK), "checkpoint + log replay");
        }

        await harness.ReopenAsync(); // a clean stop checkpoints everything: the load alone
        var reopened = harness.Engine.Get("c");
        Assert.Null(reopened.FailureReason);
        Assert.Equal(0, reopened.IndexLinksMade);
        Assert.Equal(collection.Count, reopened.Count);
        AssertSame(before, Answers(reopened, queries, filters), "checkpoint alone");
    }

    private static object Metadata(int i) => new { tag = $"t{i % 4}", n = i };

    private static async Task DeleteSomeAsync(Engine.Collections.Collection collection, Random random, int range)
    {
        var ids = Enumerable.Range(0, range / 10).Select(_ => $"p{random.Next(range)}").Distinct().ToList();
        await collection.DeleteAsync(new DeletePoints(ids));
    }

    private static List<float[]> Vectors(Random random, int count, int dimension) =>
        [.. Enumerable.Range(0, count).Select(_ => Enumerable.Range(0, dimension).Select(_ => (float)((random.NextDouble() * 2) - 1)).ToArray())];

    private static List<string> Answers(Engine.Collections.Collection collection, List<float[]> queries, JsonElement[] filters, int? ef = null)
    {
        var answers = new List<string>();
        foreach (var query in queries)
        {
            foreach (var filter in filters)
            {
                var found = collection.Search(new SearchQuery { Vector = query, TopK = 10, Ef = ef, Filter = filter, IncludeMetadata = true });
                answers.Add(string.Join(' ', found.Select(p => $"{p.Id}:{p.Score:R}:{p.Metadata?.GetRawText()}")));
            }
        }

        return answers;
    }

    private static void AssertSame(List<string> expected, List<string> actual, string how)
    {
        Assert.Equal(expected.Count, actual.Count);
        for (var i = 0; i < expected.Count; i++)
        {
            Assert.True(expected[i] == actual[i], $"{how}, query {i / 3} filter {i % 3}:\nexpected {expected[i]}\nactual   {actual[i]}");
        }
    }

    private static void CopyDirectory(string from, string to)
    {
        foreach (var directory in Directory.EnumerateDirectories(from, "*", SearchOption.AllDirectories))
        {
            Directory.CreateDirectory(directory.Replace(from, to, StringComparison.Ordinal));
        }

        // engine.lock is held open by the running engine; the copy takes a lock of its own.
        foreach (var file in Directory.EnumerateFiles(from, "*", SearchOption.AllDirectories).Where(f => Path.GetFileName(f) != "engine.lock"))
        {
            File.Copy(file, file.Replace(from, to, StringComparison.Ordinal), overwrite: true);
        }
    }
}
