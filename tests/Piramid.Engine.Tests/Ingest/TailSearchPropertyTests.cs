using System.Text.Json;
using Piramid.Engine.Collections;
using Piramid.Engine.Commands;
using Piramid.Engine.Queries;

namespace Piramid.Engine.Tests.Ingest;

/// <summary>
/// Seeded rounds of interleaved upserts (new ids and overwrites), updates (vector and/or metadata), deletes by id and
/// by filter, and searches, while the background linker runs (docs/design/ingest.md). Every search is checked against
/// brute force over a model of the acknowledged state, with and without a filter: every result is live, current and
/// passes the filter, the ranking is never better than brute force allows, every point written by the last write that
/// belongs in the top-k and is not linked yet is in it (read-your-writes: such a point is found only by the exact
/// scan of the tail merged into the search), and the recall over a round is at least 0.95 (the graph is approximate;
/// <see cref="GraphReachabilityPropertyTests"/> checks that no node is cut off). <see cref="TailWritesTests"/> holds the
/// linker to check the merged ranking against brute force exactly.
/// </summary>
public sealed class TailSearchPropertyTests
{
    private const int Dimension = 24;
    private const int IdPool = 900;
    private const int TopK = 10;
    private static readonly string[] Tags = ["a", "b", "c"];

    [Fact]
    public async Task InterleavedWrites_EverySearchEqualsBruteForce_WhileTheLinkerRuns()
    {
        int searches = 0, withTail = 0, tailHits = 0;
        for (var seed = 1; seed <= 12; seed++)
        {
            var (done, tailed, found) = await RunRoundAsync(seed);
            searches += done;
            withTail += tailed;
            tailHits += found;
        }

        // The property says something about the tail only if searches met one, and unlinked points belonged in answers.
        Assert.True(withTail >= searches / 10, $"only {withTail} of {searches} searches ran with unlinked points");
        Assert.True(tailHits >= 20, $"only {tailHits} unlinked points belonged in an answer");
    }

    private static async Task<(int Searches, int WithTail, int TailHits)> RunRoundAsync(int seed)
    {
        var random = new Random(seed);
        await using var harness = IngestHarness.Start();
        var collection = harness.CreateHnsw("c", Dimension, "euclidean", efConstruction: 200);
        var model = new Dictionary<string, (float[] Vector, string Tag)>(StringComparer.Ordinal);
        int searches = 0, withTail = 0, hits = 0, wanted = 0, acknowledgedFound = 0;
        for (var step = 0; step < 40; step++)
        {
            var written = new List<string>();
            var op = random.Next(10);
            if (op < 5 || model.Count < 3 * TopK)
            {
                var points = new List<NewPoint?>();
                var ids = new HashSet<string>(StringComparer.Ordinal);
                for (var n = random.Next(20, 200); ids.Count < n;)
                {
                    ids.Add($"p{random.Next(IdPool)}");
                }

                foreach (var id in ids)
                {
                    var vector = IngestHarness.RandomVector(random, Dimension);
                    var tag = Tags[random.Next(Tags.Length)];
                    points.Add(IngestHarness.Point(id, vector, tag));
                    model[id] = (vector, tag);
                    written.Add(id);
                }

                await collection.UpsertAsync(new UpsertPoints(points));
            }
            else if (op < 7)
            {
                var id = model.Keys.ElementAt(random.Next(model.Count));
                var (vector, tag) = model[id];
                var newVector = random.Next(3) == 0 ? null : IngestHarness.RandomVector(random, Dimension);
                var newTag = random.Next(2) == 0 ? null : Tags[random.Next(Tags.Length)];
                if (newVector is null && newTag is null)
                {
                    newTag = tag;
                }

                await collection.UpdateAsync(new UpdatePoint(
                    id, newVector, newTag is null ? default : JsonSerializer.SerializeToElement(new { tag = newTag })));
                model[id] = (newVector ?? vector, newTag ?? tag);
                written.Add(id);
            }
            else if (op < 9)
            {
                var doomed = model.Keys.OrderBy(_ => random.Next()).Take(random.Next(1, 40)).ToList();
                await collection.DeleteAsync(new DeletePoints(doomed));
                doomed.ForEach(id => model.Remove(id));
            }
            else
            {
                // Deletes by filter reach tail points through the metadata, as searches do.
                var tag = Tags[random.Next(Tags.Length)];
                var count = model.Count(p => p.Value.Tag == tag);
                if (count < model.Count - (3 * TopK))
                {
                    await collection.DeleteAsync(new DeletePoints(null, JsonSerializer.SerializeToElement(new { tag })));
                    foreach (var id in model.Where(p => p.Value.Tag == tag).Select(p => p.Key).ToList())
                    {
                        model.Remove(id);
                    }
                }
            }

            for (var s = 0; s < 3; s++)
            {
                withTail += collection.UnlinkedPoints > 0 ? 1 : 0;

                // One search in three aims at a point written just now, so read-your-writes is tested where it matters.
                var query = s == 0 && written.Count > 0
                    ? Near(model[written[random.Next(written.Count)]].Vector, random)
                    : IngestHarness.RandomVector(random, Dimension);
                var tag = random.Next(3) == 0 ? Tags[random.Next(Tags.Length)] : null;
                var expected = BruteForce(model, query, tag);
                var found = Search(collection, query, tag, ef: model.Count - 1);
                var context = $"seed {seed}, step {step}, filter {tag ?? "none"}, {model.Count} points, {collection.UnlinkedPoints} unlinked: " +
                    $"expected [{string.Join(",", expected.Select(id => $"{id}:{SquaredDistance(model[id].Vector, query):F3}"))}], " +
                    $"found [{string.Join(",", found.Select(id => $"{id}:{(model.TryGetValue(id, out var p) ? SquaredDistance(p.Vector, query) : -1):F3}"))}]";
                Assert.True(Valid(model, query, tag, expected, found), context);
                // Still unlinked after the search means unlinked during it: the tail's exact scan must have found it.
                foreach (var id in expected.Intersect(written).Where(collection.IsUnlinked))
                {
                    Assert.True(found.Contains(id), $"{id}, written just now and not linked, is missing: {context}");
                    acknowledgedFound++;
                }

                hits += found.Intersect(expected).Count();
                wanted += expected.Length;
                searches++;
            }
        }

        // The graph is approximate: points linked earlier may be missed by it, rarely.
        Assert.True(hits >= 0.95 * wanted, $"seed {seed}: recall {(double)hits / wanted:F4} over {searches} searches");

        // Once the linker is done, the whole graph answers the same.
        await collection.WhenLinkedAsync();
        Assert.Equal(0, collection.UnlinkedPoints);
        var last = IngestHarness.RandomVector(random, Dimension);
        Assert.True(Valid(model, last, null, BruteForce(model, last, null), Search(collection, last, null, ef: model.Count - 1)));
        Assert.Equal(model.Count, collection.Count);
        return (searches, withTail, acknowledgedFound);
    }

    private static string[] Search(Collection collection, float[] query, string? tag, int ef) =>
        [.. collection.Search(new SearchQuery
        {
            Vector = query,
            TopK = TopK,
            Ef = ef,
            Filter = tag is null ? default : JsonSerializer.SerializeToElement(new { tag }),
            IncludeMetadata = false,
        }).Select(r => r.Id)];

    // Every id found is a live point that passes the filter, once; the distances ascend; and no rank is better than
    // brute force allows (up to float rounding: the engine sums in another order).
    private static bool Valid(Dictionary<string, (float[] Vector, string Tag)> model, float[] query, string? tag, string[] expected, string[] found)
    {
        if (found.Length != expected.Length || found.Distinct(StringComparer.Ordinal).Count() != found.Length)
        {
            return false;
        }

        var previous = double.NegativeInfinity;
        for (var i = 0; i < found.Length; i++)
        {
            if (!model.TryGetValue(found[i], out var point) || (tag is not null && point.Tag != tag))
            {
                return false;
            }

            var distance = SquaredDistance(point.Vector, query);
            var best = SquaredDistance(model[expected[i]].Vector, query);
            if (distance < best - (1e-4 * (1 + best)) || distance < previous - (1e-4 * (1 + distance)))
            {
                return false;
            }

            previous = distance;
        }

        return true;
    }

    private static float[] Near(float[] vector, Random random) =>
        [.. vector.Select(v => v + (float)((random.NextDouble() - 0.5) * 0.05))];

    private static string[] BruteForce(Dictionary<string, (float[] Vector, string Tag)> model, float[] query, string? tag) =>
        [.. model
            .Where(p => tag is null || p.Value.Tag == tag)
            .Select(p => (p.Key, Distance: SquaredDistance(p.Value.Vector, query)))
            .OrderBy(p => p.Distance)
            .Take(TopK)
            .Select(p => p.Key)];

    private static double SquaredDistance(float[] a, float[] b)
    {
        double sum = 0;
        for (var i = 0; i < a.Length; i++)
        {
            var d = (double)a[i] - b[i];
            sum += d * d;
        }

        return sum;
    }
}
