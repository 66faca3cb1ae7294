using System.Collections.Concurrent;
using System.Text.Json;
using Piramid.Contracts.Points;
using Piramid.Engine.Commands;
using Piramid.Engine.Search;
using Piramid.TestKit.Datasets;

namespace Piramid.Engine.Tests.Collections;

/// <summary>
/// HNSW collections end to end in the engine: recall at the default ef on Fashion-MNIST (Debian's package),
/// a checkpointed graph loaded without a rebuild, deletes under concurrency, and filtered recall.
/// </summary>
public sealed class HnswCollectionTests
{
    private const int BaseCount = 5_000;
    private const int QueryCount = 100;
    private const int K = 10;
    private const double RecallFloor = 0.95;

    [Fact]
    public async Task Search_AtDefaultEf_HasRecallAtLeast095()
    {
        await using var harness = await EngineHarness.StartAsync();
        var collection = harness.CreateHnsw("fashion", FashionMnist.Dimension, "euclidean");
        var (vectors, queries) = Data();
        await EngineHarness.UpsertAsync(collection, vectors, 0);

        var recall = Recall(collection, vectors, queries, id => true);
        Assert.True(recall >= RecallFloor, $"recall@10 {recall:F3} at the default ef");
    }

    [Fact]
    public async Task Reopen_LoadsTheSavedGraphWithoutRelinking_WithIdenticalResults()
    {
        await using var harness = await EngineHarness.StartAsync();
        var collection = harness.CreateHnsw("fashion", FashionMnist.Dimension, "euclidean");
        var (vectors, queries) = Data();
        await EngineHarness.UpsertAsync(collection, vectors[..4000], 0);
        await collection.DeleteAsync(new DeletePoints([.. Enumerable.Range(0, 400).Select(i => $"p{i * 10}")]));
        Assert.True(collection.Checkpoint(force: true));

        // After the checkpoint: more points and deletes that live only in the log.
        await EngineHarness.UpsertAsync(collection, vectors[4000..], 4000);
        await collection.DeleteAsync(new DeletePoints(["p4001", "p4002"]));
        var before = queries.Select(q => EngineHarness.Search(collection, q, K)).ToArray();

        await harness.ReopenAsync();
        var reopened = harness.Engine.Get("fashion");
        // A clean close checkpoints, so every node, deleted stepping stones included, comes back from the file.
        Assert.Equal(0, reopened.IndexLinksMade);
        Assert.Equal(collection.Count, reopened.Count);
        for (var q = 0; q < queries.Length; q++)
        {
            Assert.Equal(before[q], EngineHarness.Search(reopened, queries[q], K));
        }
    }

    [Fact]
    public async Task Int8_WalksCodesAndRescores_WithRecallAtLeast095_BeforeAndAfterReopen()
    {
        await using var harness = await EngineHarness.StartAsync();
        var collection = harness.CreateHnsw("fashion", FashionMnist.Dimension, "euclidean", quantization: "int8");
        var (vectors, queries) = Data();
        await EngineHarness.UpsertAsync(collection, vectors, 0);
        Assert.True(collection.IndexCodeBytes >= BaseCount * FashionMnist.Dimension, "the codes were never trained");

        var recall = Recall(collection, vectors, queries, id => true);
        Assert.True(recall >= RecallFloor, $"int8 recall@10 after rescoring {recall:F3}");
        var before = queries.Select(q => EngineHarness.Search(collection, q, K)).ToArray();

        await harness.ReopenAsync();
        var reopened = harness.Engine.Get("fashion");
        Assert.Equal(0, reopened.IndexLinksMade);
        Assert.True(reopened.IndexCodeBytes >= BaseCount * FashionMnist.Dimension, "the reopened collection walks floats");
        for (var q = 0; q < queries.Length; q++)
        {
            Assert.Equal(before[q], EngineHarness.Search(reopened, queries[q], K));
        }
    }

    [Fact]
    public async Task Deletes_AreNeverReturned_UnderConcurrentUpsertsDeletesSearchesAndCompactions()
    {
        await using var harness = await EngineHarness.StartAsync();
        var collection = harness.CreateHnsw("fashion", FashionMnist.Dimension, "euclidean", efConstruction: 64);
        var (vectors, queries) = Data();
        await EngineHarness.UpsertAsync(collection, vectors[..3000], 0);

        var deleted = new ConcurrentDictionary<string, bool>(StringComparer.Ordinal);
        using var stop = new CancellationTokenSource();
        var deleter = Task.Run(async () =>
        {
            var random = new Random(5);
            for (var round = 0; round < 40; round++)
            {
                var ids = Enumerable.Range(0, 25).Select(_ => $"p{random.Next(3000)}").ToList();
                await collection.DeleteAsync(new DeletePoints(ids));
                foreach (var id in ids)
                {
                    deleted[id] = true;
                }
            }
        });
        var upserter = Task.Run(() => EngineHarness.UpsertAsync(collection, vectors[3000..], 3000, batch: 50));
        // Dedicated threads, not pool tasks: on two cores, pool threads busy searching could otherwise keep the
        // compactor from running at all before the writers finish.
        var compactor = Task.Factory.StartNew(
            () =>
            {
                var freed = 0;
                var deadline = DateTime.UtcNow.AddSeconds(60);
                while ((!stop.IsCancellationRequested || freed == 0) && DateTime.UtcNow < deadline)
                {
                    freed += collection.Compact();
                }

                return freed;
            },
            CancellationToken.None,
            TaskCreationOptions.LongRunning,
            TaskScheduler.Default);
        var violations = new ConcurrentBag<string>();
        void SearchUntilTheWritersFinish(int seed)
        {
            for (var i = 0; !deleter.IsCompleted || !upserter.IsCompleted; i++)
            {
                var gone = deleted.Keys.ToHashSet(StringComparer.Ordinal);
                foreach (var id in EngineHarness.Search(collection, queries[(i + seed) % queries.Length], K))
                {
                    if (gone.Contains(id))
                    {
                        violations.Add(id);
                    }
                }
            }
        }

        var searches = Enumerable.Range(0, 2)
            .Select(seed => Task.Factory.StartNew(() => SearchUntilTheWritersFinish(seed), CancellationToken.None, TaskCreationOptions.LongRunning, TaskScheduler.Default))
            .ToArray();

        await Task.WhenAll([deleter, upserter, .. searches]);
        await stop.CancelAsync();
        var freedSlots = await compactor;
        Assert.Empty(violations);
        Assert.True(freedSlots > 0, "the compactions freed no slot, so reuse was not exercised");

        // After the churn: no deleted point comes back, and recall over the live points holds.
        collection.Compact();
        var live = Enumerable.Range(0, BaseCount).Where(i => !deleted.ContainsKey($"p{i}")).ToHashSet();
        var recall = Recall(collection, vectors, queries, live.Contains);
        Assert.True(recall >= RecallFloor, $"recall@10 after deletes and compactions {recall:F3}");
    }

    // With the field in the schema the plan reads the metadata index; without, it samples the filter.
    [Theory]
    [InlineData(100, "10%", true)]
    [InlineData(10, "1%", true)]
    [InlineData(1, "0.1%", true)]
    [InlineData(100, "10%", false)]
    [InlineData(1, "0.1%", false)]
    public async Task FilteredSearch_KeepsRecall(int buckets, string share, bool indexed)
    {
        await using var harness = await EngineHarness.StartAsync();
        var collection = harness.CreateHnsw("fashion", FashionMnist.Dimension, "euclidean", schema: indexed ? new { bucket = "integer" } : null);
        var (vectors, queries) = Data();
        var random = new Random(3);
        var bucketOf = Enumerable.Range(0, BaseCount).Select(_ => random.Next(1000)).ToArray();
        await EngineHarness.UpsertAsync(collection, vectors, 0, i => new { bucket = bucketOf[i] });

        var filter = JsonSerializer.SerializeToElement(new Dictionary<string, object> { ["bucket"] = new Dictionary<string, int> { ["$lt"] = buckets } });
        var recall = Recall(collection, vectors, queries, i => bucketOf[i] < buckets, filter);
        Assert.True(recall >= RecallFloor, $"filtered recall@10 at {share} {recall:F3}");
    }

    private static (float[][] Vectors, float[][] Queries) Data() =>
        (FashionMnist.Load(BaseCount), FashionMnist.Load(QueryCount, test: true));

    // Mean share of the exact top-10 among the allowed points that the collection returns.
    private static double Recall(Engine.Collections.Collection collection, float[][] vectors, float[][] queries, Func<int, bool> allowed, JsonElement filter = default)
    {
        var slab = new VectorSlab(vectors[0].Length);
        foreach (var vector in vectors)
        {
            slab.Add(vector);
        }

        double hits = 0, expected = 0;
        foreach (var query in queries)
        {
            var truth = ExactSearch.Search(slab, DistanceMetric.Euclidean, query, K, null, allowed).Select(h => $"p{h.Slot}").ToHashSet();
            var found = EngineHarness.Search(collection, query, K, filter);
            Assert.All(found, id => Assert.True(allowed(int.Parse(id.AsSpan(1))), $"{id} is not allowed"));
            hits += found.Count(truth.Contains);
            expected += truth.Count;
        }

        return hits / expected;
    }
}
