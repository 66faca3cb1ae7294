using Piramid.Engine.Commands;
using Piramid.Engine.Storage;

namespace Piramid.Engine.Tests.Ingest;

/// <summary>
/// The bound on the unlinked tail (docs/design/ingest.md): a write waits while the tail is at the bound, it is not
/// refused, and the tail never grows past the bound by more than the batches admitted at once.
/// </summary>
public sealed class BackPressureTests
{
    private const int Dimension = 64;
    private const int Bound = 200;
    private const int Batch = 100;

    [Fact]
    public async Task Writes_PastTheBound_WaitForTheLinker_AndAreAllAcknowledged()
    {
        // No fsync wait in the writes: the test needs writers faster than the linker, and a write that waits on the
        // disk gives the linker time to catch up (on a loaded machine it did: the tail stopped at 155).
        await using var harness = IngestHarness.Start(linkWorkers: 1, maxUnlinked: Bound, durability: DurabilityPolicy.Default with { Mode = DurabilityMode.None });
        var collection = harness.CreateHnsw("c", Dimension, "euclidean", efConstruction: 200);
        var random = new Random(3);
        var vectors = Enumerable.Range(0, 3_000).Select(_ => IngestHarness.RandomVector(random, Dimension)).ToArray();
        var highest = 0;
        for (var start = 0; start < vectors.Length; start += Batch)
        {
            var points = Enumerable.Range(start, Batch).Select(i => IngestHarness.Point($"p{i}", vectors[i], "t")).ToList();
            var result = await collection.UpsertAsync(new UpsertPoints([.. points]));
            Assert.Equal((long)Batch, result.Count);
            highest = Math.Max(highest, collection.UnlinkedPoints);
        }

        // A writer is admitted while the tail is below the bound, then adds its batch.
        Assert.True(highest <= Bound - 1 + Batch, $"the tail reached {highest} with a bound of {Bound}");
        Assert.True(highest >= Bound, $"the tail never reached the bound ({highest}); nothing waited");
        Assert.Equal(vectors.Length, collection.Count);
        await collection.WhenLinkedAsync();
        for (var i = 0; i < vectors.Length; i += 97)
        {
            Assert.Equal($"p{i}", IngestHarness.Nearest(collection, vectors[i]));
        }
    }
}
