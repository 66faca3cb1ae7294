using System.Globalization;
using System.Text.RegularExpressions;
using Piramid.DataPlane.Tests.Support;
using Piramid.TestKit.Processes;

namespace Piramid.DataPlane.Tests.Ingest;

/// <summary>
/// The engine process SIGKILLed while thousands of acknowledged points are not linked yet (docs/design/ingest.md):
/// after the restart every acknowledged point is there and found by search at once (the replayed nodes are scanned
/// exactly as the tail until linked; the graph is approximate for the ones linked meanwhile), the linker then links
/// them all, and the graph finds them.
/// </summary>
public sealed partial class TailCrashTests
{
    private const string Collection = "tail";
    private const int Dimension = 256;
    private const int Points = 6_000;
    private const int Batch = 250;

    [Fact]
    public async Task Kill_WithALongTail_Restart_EveryAcknowledgedPointIsFound_AndTheLinkerFinishes()
    {
        await using var host = new EngineTestHost();
        // One link worker at a slow ef_construction keeps the tail long while the points arrive.
        var environment = new Dictionary<string, string> { ["Engine__LinkWorkers"] = "1" };
        var random = new Random(5);
        var vectors = Enumerable.Range(0, Points).Select(_ => RandomVector(random)).ToArray();

        var engine = await host.StartAsync("always", environment);
        using (var http = engine.CreateClient())
        {
            await http.OkAsync(HttpMethod.Put, $"/v1/collections/{Collection}", new
            {
                dimension = Dimension,
                metric = "euclidean",
                index = new { type = "hnsw", m = 16, ef_construction = 400 },
            });
            await Task.WhenAll(Enumerable.Range(0, 2).Select(async writer =>
            {
                for (var start = writer * Batch; start < Points; start += 2 * Batch)
                {
                    var points = Enumerable.Range(start, Batch).Select(i => new { id = $"p{i}", vector = vectors[i] });
                    await http.OkAsync(HttpMethod.Post, $"/v1/collections/{Collection}/points", new { points });
                }
            }));
        }

        var unlinked = await UnlinkedAsync(engine);
        Assert.True(unlinked >= 1_000, $"only {unlinked} points were unlinked at the kill; the test proved nothing");
        engine.Kill();

        var restarted = await host.StartAsync("always", environment);
        using var after = restarted.CreateClient();
        var described = await after.OkAsync(HttpMethod.Get, $"/v1/collections/{Collection}");
        Assert.Equal(Points, described["count"]!.GetValue<long>());
        var stored = await after.ScrollAllAsync(Collection);
        Assert.All(Enumerable.Range(0, Points), i => Assert.True(stored.ContainsKey($"p{i}"), $"p{i} is missing"));

        // The restart opens with every replayed node unlinked and links them from the first on: the ones not linked yet
        // are scanned exactly, the ones linked meanwhile are walked approximately.
        var foundAtOnce = await FoundAsync(after, vectors);
        Assert.True(foundAtOnce >= Points * 0.999, $"{foundAtOnce} of {Points} points found right after the restart");

        // The linker finishes: polled through the engine's metrics, bounded in time.
        var deadline = DateTime.UtcNow.AddMinutes(5);
        while ((unlinked = await UnlinkedAsync(restarted)) > 0)
        {
            Assert.True(DateTime.UtcNow < deadline, $"{unlinked} points still unlinked after 5 minutes");
            await Task.Delay(250);
        }

        // Linked now: the graph answers (approximately, so at least 99% found as their own nearest point).
        var found = await FoundAsync(after, vectors);
        Assert.True(found >= Points * 0.99, $"{found} of {Points} points found by the graph");
    }

    private static async Task<int> FoundAsync(HttpClient http, float[][] vectors)
    {
        var found = 0;
        for (var start = 0; start < vectors.Length; start += 100)
        {
            var searches = Enumerable.Range(start, 100).Select(i => new { vector = vectors[i], top_k = 1, ef = 1_000, include_metadata = false });
            var answer = await http.OkAsync(HttpMethod.Post, $"/v1/collections/{Collection}/search/batch", new { searches });
            var batches = answer["batches"]!.AsArray();
            for (var i = 0; i < batches.Count; i++)
            {
                var results = batches[i]!["results"]!.AsArray();
                found += results.Count == 1 && results[0]!["id"]!.GetValue<string>() == $"p{start + i}" ? 1 : 0;
            }
        }

        return found;
    }

    private static async Task<long> UnlinkedAsync(EngineProcess engine)
    {
        using var http = engine.CreateUnsignedClient();
        var text = await http.GetStringAsync(new Uri("/metrics", UriKind.Relative));
        var match = UnlinkedLine().Match(text);
        return match.Success ? long.Parse(match.Groups[1].Value, CultureInfo.InvariantCulture) : 0;
    }

    private static float[] RandomVector(Random random)
    {
        var vector = new float[Dimension];
        for (var d = 0; d < Dimension; d++)
        {
            vector[d] = (float)((random.NextDouble() * 2) - 1);
        }

        return vector;
    }

    [GeneratedRegex("""^piramid_engine_index_unlinked\S*\{[^}]*collection="tail"[^}]*\} (\d+)""", RegexOptions.Multiline)]
    private static partial Regex UnlinkedLine();
}
