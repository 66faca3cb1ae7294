using System.Globalization;
using System.Text.Json;
using Piramid.Engine.Collections;
using Piramid.Engine.Commands;

namespace Piramid.Engine.Tests.Ingest;

/// <summary>
/// Writes that reach points still in the unlinked tail, and checkpoints taken while it is long
/// (docs/design/ingest.md). The linker is held (a test seam: no new link starts) while the last points arrive, so
/// they are certainly in the tail when the writes reach them. One link worker makes the graph the same on every run.
/// </summary>
public sealed class TailWritesTests
{
    private const int Dimension = 96;
    private const int Points = 1_500;

    [Fact]
    public async Task DeleteAndUpdate_OfTailPoints_AreSeenAtOnce_AndTheDeletedNodeIsNeverLinked()
    {
        await using var harness = IngestHarness.Start(linkWorkers: 1);
        var collection = harness.CreateHnsw("c", Dimension, "euclidean", efConstruction: 200);
        var (vectors, hold) = await LinkedThenHeldAsync(collection, new Random(7));
        var moved = IngestHarness.RandomVector(new Random(8), Dimension);
        using (hold)
        {

            // The last two points of the batch: one deleted, one moved to a new vector and a new tag.
            await collection.DeleteAsync(new DeletePoints([$"p{Points - 1}"]));
            await collection.UpdateAsync(new UpdatePoint($"p{Points - 2}", moved, JsonSerializer.SerializeToElement(new { tag = "moved" })));
            Assert.Equal(Points - 1_000 + 1, collection.UnlinkedPoints);
            AssertSeen(collection, vectors, moved);
        }

        await collection.WhenLinkedAsync();
        Assert.Equal(0, collection.UnlinkedPoints);
        AssertSeen(collection, vectors, moved);

        // Linked: the first points and the moved point's new node; the deleted point and the moved point's old node were
        // skipped (Points - 2 + 1).
        Assert.Equal(Points - 1, collection.IndexLinksMade);
        Assert.Equal(Points - 1, collection.Count);
    }

    [Fact]
    public async Task Checkpoint_WithALongTail_ThenReopen_LinksTheTail_AndEveryPointIsFound()
    {
        await using var harness = IngestHarness.Start(linkWorkers: 1);
        var collection = harness.CreateHnsw("c", Dimension, "euclidean", efConstruction: 200);
        var (vectors, hold) = await LinkedThenHeldAsync(collection, new Random(9));
        using (hold)
        {
            Assert.True(collection.Checkpoint(force: true));
            Assert.Equal(Points - 1_000, collection.UnlinkedPoints);

            // Closed while still held: the clean close's checkpoint holds the 500 nodes as reserved, and the log after
            // it nothing, so the reopened collection comes from a checkpoint alone, with reserved nodes to link.
            await harness.ReopenAsync();
        }

        var reopened = harness.Engine.Get("c");
        Assert.Equal(Points, reopened.Count);
        for (var i = 0; i < Points; i++)
        {
            Assert.Equal($"p{i}", IngestHarness.Nearest(reopened, vectors[i]));
        }

        await reopened.WhenLinkedAsync();
        Assert.Equal(0, reopened.UnlinkedPoints);
        Assert.Equal(Points - 1_000, reopened.IndexLinksMade);
        for (var i = 0; i < Points; i++)
        {
            Assert.Equal($"p{i}", IngestHarness.Nearest(reopened, vectors[i]));
        }
    }

    [Fact]
    public async Task Search_WithAHeldTail_FindsEveryTailPointOfTheTrueTopK_WithAndWithoutAFilter()
    {
        await using var harness = IngestHarness.Start(linkWorkers: 1);
        var collection = harness.CreateHnsw("c", Dimension, "euclidean", efConstruction: 200);
        var (vectors, hold) = await LinkedThenHeldAsync(collection, new Random(11));
        using (hold)
        {
            Assert.Equal(Points - 1_000, collection.UnlinkedPoints);
            var random = new Random(12);
            var tailExpected = 0;
            for (var q = 0; q < 30; q++)
            {
                var query = IngestHarness.RandomVector(random, Dimension);
                var tag = q % 3 == 0 ? "even" : null;
                var expected = vectors
                    .Select((v, i) => (Index: i, Distance: Distance(v, query), Even: i % 2 == 0))
                    .Where(p => tag is null || p.Even)
                    .OrderBy(p => p.Distance)
                    .Take(10)
                    .ToList();
                var found = collection.Search(new Queries.SearchQuery
                {
                    Vector = query,
                    TopK = 10,
                    Ef = Points - 1,
                    Filter = tag is null ? default : JsonSerializer.SerializeToElement(new { tag }),
                    IncludeMetadata = false,
                }).Select(r => int.Parse(r.Id[1..], CultureInfo.InvariantCulture)).ToList();

                // The tail's points of the true top 10 are all there (the exact scan), in their places among the graph's.
                Assert.Equal(10, found.Count);
                Assert.All(expected.Where(p => p.Index >= 1_000), p => Assert.Contains(p.Index, found));
                tailExpected += expected.Count(p => p.Index >= 1_000);
                Assert.Equal(found.Select(i => Distance(vectors[i], query)).Order(), found.Select(i => Distance(vectors[i], query)));
                Assert.True(tag is null || found.All(i => i % 2 == 0));
            }

            Assert.True(tailExpected >= 30, $"only {tailExpected} tail points belonged in the answers");
        }
    }

    private static double Distance(float[] a, float[] b) => a.Zip(b).Sum(p => ((double)p.First - p.Second) * ((double)p.First - p.Second));

    private static void AssertSeen(Collection collection, float[][] vectors, float[] moved)
    {
        Assert.NotEqual($"p{Points - 1}", IngestHarness.Nearest(collection, vectors[Points - 1]));
        Assert.Equal($"p{Points - 2}", IngestHarness.Nearest(collection, moved));
        Assert.Equal($"p{Points - 2}", IngestHarness.Nearest(collection, moved, JsonSerializer.SerializeToElement(new { tag = "moved" })));
        Assert.NotEqual($"p{Points - 2}", IngestHarness.Nearest(collection, vectors[Points - 2]));
        for (var i = Points - 50; i < Points - 2; i++)
        {
            Assert.Equal($"p{i}", IngestHarness.Nearest(collection, vectors[i]));
        }
    }

    // The first 1,000 points linked, then the linker held while the last 500 arrive: they are the tail.
    private static async Task<(float[][] Vectors, IDisposable Hold)> LinkedThenHeldAsync(Collection collection, Random random)
    {
        var vectors = Enumerable.Range(0, Points).Select(_ => IngestHarness.RandomVector(random, Dimension)).ToArray();
        IDisposable? hold = null;
        for (var start = 0; start < Points; start += 500)
        {
            if (start == 1_000)
            {
                await collection.WhenLinkedAsync();
                hold = collection.HoldLinks();
            }

            await collection.UpsertAsync(new UpsertPoints([.. Enumerable.Range(start, 500).Select(i => IngestHarness.Point($"p{i}", vectors[i], i % 2 == 0 ? "even" : "odd"))]));
        }

        return (vectors, hold!);
    }
}
