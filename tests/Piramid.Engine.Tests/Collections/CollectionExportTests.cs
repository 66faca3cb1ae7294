using System.Text.Json;
using Piramid.Engine.Collections;
using Piramid.Engine.Commands;

namespace Piramid.Engine.Tests.Collections;

/// <summary>
/// An export is a point-in-time view (docs/design/export-format.md, "Consistency"): whatever upserts, overwrites and
/// deletes land between its reads, before or after the reader's position, it returns exactly the points of the moment
/// it opened, in id order, each once. Property-tested over seeded random interleavings on flat and HNSW collections.
/// </summary>
public sealed class CollectionExportTests
{
    [Theory]
    [InlineData(1, "flat")]
    [InlineData(2, "flat")]
    [InlineData(3, "hnsw")]
    [InlineData(4, "hnsw")]
    [InlineData(5, "flat")]
    public async Task Export_WithWritesBetweenReads_ReturnsTheCollectionAsItWasWhenOpened(int seed, string index)
    {
        await using var harness = await EngineHarness.StartAsync();
        harness.Engine.Create("docs", new CreateCollection(4, "euclidean", new IndexSpec(index, 8, 40)), out _);
        var collection = harness.Engine.Get("docs");
        var random = new Random(seed);
        var live = new SortedDictionary<string, (float[] Vector, string? Metadata)>(StringComparer.Ordinal);
        for (var start = 0; start < 600; start += 200)
        {
            await WriteAsync(collection, live, [.. Enumerable.Range(start, 200).Select(i => (Id(i * 2), Point(random, i)))]);
        }

        using var export = collection.OpenExport();
        var expected = live.ToDictionary(p => p.Key, p => p.Value, StringComparer.Ordinal);
        Assert.Equal(expected.Count, export.Count);
        Assert.Equal(collection.LastLsn, export.Lsn);

        var seen = new List<string>();
        while (export.ReadBatch(random.Next(1, 40)) is { Count: > 0 } batch)
        {
            foreach (var point in batch)
            {
                seen.Add(point.Id);
                Assert.True(expected.TryGetValue(point.Id, out var want), $"'{point.Id}' was not in the collection when the export opened.");
                Assert.Equal(want.Vector, point.Vector);
                Assert.Equal(want.Metadata, point.Metadata?.GetRawText());
            }

            // Writes anywhere: ids already read, ids still ahead, new ids between existing ones, deletes.
            for (var w = random.Next(0, 4); w > 0; w--)
            {
                var id = Id(random.Next(0, 1300));
                if (random.Next(3) == 0)
                {
                    await collection.DeleteAsync(new DeletePoints([id]));
                    live.Remove(id);
                }
                else
                {
                    await WriteAsync(collection, live, [(id, Point(random, random.Next()))]);
                }
            }
        }

        Assert.Equal(expected.Keys.Order(StringComparer.Ordinal), seen);
        Assert.True(collection.LastLsn > export.Lsn, "No write landed during the export: the test proved nothing.");
    }

    [Fact]
    public async Task Export_Disposed_StopsKeepingPreImages()
    {
        await using var harness = await EngineHarness.StartAsync();
        harness.Engine.Create("docs", new CreateCollection(2, "dot", new IndexSpec("flat")), out _);
        var collection = harness.Engine.Get("docs");
        var live = new SortedDictionary<string, (float[] Vector, string? Metadata)>(StringComparer.Ordinal);
        await WriteAsync(collection, live, [("a", ([1, 2], null)), ("b", ([3, 4], null))]);

        var export = collection.OpenExport();
        export.Dispose();
        await WriteAsync(collection, live, [("b", ([5, 6], null))]);

        Assert.Throws<ObjectDisposedException>(() => export.ReadBatch(10));
        using var fresh = collection.OpenExport();
        var points = fresh.ReadBatch(10);
        Assert.Equal([5f, 6f], points.Single(p => p.Id == "b").Vector!);
    }

    private static string Id(int i) => $"p{i:D5}";

    private static (float[] Vector, string? Metadata) Point(Random random, int n) =>
        ([.. Enumerable.Range(0, 4).Select(_ => (float)random.NextDouble())], n % 3 == 0 ? null : $"{{\"n\":{n}}}");

    private static async Task WriteAsync(
        Collection collection, SortedDictionary<string, (float[] Vector, string? Metadata)> live, IReadOnlyList<(string Id, (float[] Vector, string? Metadata) Point)> points)
    {
        await collection.UpsertAsync(new UpsertPoints([.. points.Select(p => new NewPoint(
            p.Id, p.Point.Vector, p.Point.Metadata is null ? default : JsonDocument.Parse(p.Point.Metadata).RootElement.Clone()))]));
        foreach (var (id, point) in points)
        {
            live[id] = point;
        }
    }
}
