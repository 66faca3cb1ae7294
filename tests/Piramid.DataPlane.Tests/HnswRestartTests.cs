using Piramid.DataPlane.Tests.Support;
using Piramid.TestKit.Datasets;

namespace Piramid.DataPlane.Tests;

/// <summary>
/// A graph-indexed collection survives SIGKILL of the real engine process: after the restart every search
/// answers exactly as before, whether the graph came back from the log alone or from a checkpoint and the log.
/// </summary>
public sealed class HnswRestartTests
{
    private const string Collection = "fashion";
    private const int Queries = 40;

    [Fact]
    public async Task Kill_ThenRestart_GivesIdenticalSearchResults()
    {
        await using var host = new EngineTestHost();
        var vectors = FashionMnist.Load(2_500);
        var queries = FashionMnist.Load(Queries, test: true);

        var engine = await host.StartAsync("always");
        using (var http = engine.CreateClient())
        {
            await http.CreateCollectionAsync(Collection, FashionMnist.Dimension, "euclidean", index: "hnsw");
            await UpsertAsync(http, vectors, 0, 2_000);
            await http.OkAsync(HttpMethod.Post, $"/v1/collections/{Collection}/points/delete", new { ids = Enumerable.Range(0, 100).Select(i => $"p{i * 7}") });
            var before = await SearchAllAsync(http, queries);
            engine.Kill();

            // Nothing was checkpointed: the restart relinks the graph from the log, in the log's order.
            engine = await host.StartAsync("always");
            using var afterKill = engine.CreateClient();
            Assert.Equal(before, await SearchAllAsync(afterKill, queries));
        }

        // A clean stop checkpoints the graph; later writes live only in the log when the next kill lands.
        Assert.Equal(0, await engine.StopAsync());
        engine = await host.StartAsync("always");
        using (var http = engine.CreateClient())
        {
            await UpsertAsync(http, vectors, 2_000, 2_500);
            await http.OkAsync(HttpMethod.Post, $"/v1/collections/{Collection}/points/delete", new { ids = new[] { "p2001", "p5" } });
            var before = await SearchAllAsync(http, queries);
            engine.Kill();

            var restarted = await host.StartAsync("always");
            using var afterKill = restarted.CreateClient();
            var after = await SearchAllAsync(afterKill, queries);
            Assert.Equal(before, after);
            Assert.DoesNotContain(after.SelectMany(ids => ids), id => id is "p2001" or "p5");
        }
    }

    private static async Task UpsertAsync(HttpClient http, float[][] vectors, int from, int to)
    {
        for (var start = from; start < to; start += 250)
        {
            var points = Enumerable.Range(start, Math.Min(250, to - start)).Select(i => new { id = $"p{i}", vector = vectors[i] });
            await http.OkAsync(HttpMethod.Post, $"/v1/collections/{Collection}/points", new { points });
        }
    }

    private static async Task<List<string[]>> SearchAllAsync(HttpClient http, float[][] queries)
    {
        var answers = new List<string[]>();
        foreach (var query in queries)
        {
            var found = await http.OkAsync(HttpMethod.Post, $"/v1/collections/{Collection}/search", new { vector = query, top_k = 10, include_metadata = false });
            answers.Add([.. found["results"]!.AsArray().Select(r => r!["id"]!.GetValue<string>())]);
        }

        return answers;
    }
}
