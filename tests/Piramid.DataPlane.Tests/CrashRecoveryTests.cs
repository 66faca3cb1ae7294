using System.Collections.Concurrent;
using System.Net;
using System.Text.Json.Nodes;
using Piramid.DataPlane.Tests.Support;

namespace Piramid.DataPlane.Tests;

/// <summary>
/// SIGKILL the engine at random moments under concurrent writers, restart it, and prove that every
/// acknowledged batch is present byte for byte and that no batch is ever half-visible.
/// <c>PIRAMID_CRASH_CYCLES</c> sets the cycles per durability policy (default 15, so 30 in the suite).
/// </summary>
public sealed class CrashRecoveryTests
{
    private const string Collection = "crash";
    private const int Dimension = 8;
    private const int Writers = 4;

    private static int Cycles =>
        int.TryParse(Environment.GetEnvironmentVariable("PIRAMID_CRASH_CYCLES"), out var n) && n > 0 ? n : 15;

    [Theory]
    [InlineData("always", 11)]
    [InlineData("batch", 23)]
    public async Task Kill_DuringConcurrentWrites_KeepsEveryAcknowledgedBatchWhole(string durability, int seed)
    {
        await using var host = new EngineTestHost();
        var random = new Random(seed);
        var attempted = new ConcurrentDictionary<string, Batch>(StringComparer.Ordinal);
        var acknowledged = new ConcurrentDictionary<string, Batch>(StringComparer.Ordinal);
        var totalAcknowledged = 0;

        for (var cycle = 0; cycle < Cycles; cycle++)
        {
            var engine = await host.StartAsync(durability);
            using var http = engine.CreateClient();
            if (cycle == 0)
            {
                await http.CreateCollectionAsync(Collection, Dimension, "euclidean");
            }

            await VerifyAsync(http, attempted, acknowledged);

            using var stop = new CancellationTokenSource();
            var writers = Enumerable.Range(0, Writers)
                .Select(w => WriteUntilKilledAsync(http, $"c{cycle}-w{w}", seed * 1000 + (cycle * Writers) + w, attempted, acknowledged, stop.Token))
                .ToArray();
            await Task.Delay(random.Next(40, 400));
            engine.Kill();
            await stop.CancelAsync();
            totalAcknowledged += (await Task.WhenAll(writers)).Sum();
        }

        var final = await host.StartAsync(durability);
        using (var http = final.CreateClient())
        {
            await VerifyAsync(http, attempted, acknowledged);
        }

        // The kills must have landed among acknowledged writes, or the test proved nothing.
        Assert.True(totalAcknowledged >= Cycles, $"only {totalAcknowledged} batches were acknowledged over {Cycles} cycles");
    }

    private static async Task<int> WriteUntilKilledAsync(
        HttpClient http, string prefix, int seed, ConcurrentDictionary<string, Batch> attempted,
        ConcurrentDictionary<string, Batch> acknowledged, CancellationToken stop)
    {
        var random = new Random(seed);
        var acked = 0;
        for (var n = 0; !stop.IsCancellationRequested; n++)
        {
            var batch = Batch.Create($"{prefix}-b{n}", random.Next(1, 25), random);
            attempted[batch.Id] = batch;
            try
            {
                var (status, _, raw, _) = await http.SendAsync(HttpMethod.Post, $"/v1/collections/{Collection}/points", batch.ToRequest());
                if (status != HttpStatusCode.OK)
                {
                    throw new InvalidOperationException($"upsert refused with {(int)status}: {raw}");
                }

                acknowledged[batch.Id] = batch;
                acked++;
            }
            catch (HttpRequestException)
            {
                return acked; // The engine died mid-request: this batch is not acknowledged.
            }
            catch (TaskCanceledException)
            {
                return acked;
            }
        }

        return acked;
    }

    private static async Task VerifyAsync(HttpClient http, ConcurrentDictionary<string, Batch> attempted, ConcurrentDictionary<string, Batch> acknowledged)
    {
        var stored = await http.ScrollAllAsync(Collection);
        var perBatch = stored.Values.GroupBy(p => p["metadata"]!["batch"]!.GetValue<string>()).ToDictionary(g => g.Key, g => g.Count());
        foreach (var (id, batch) in attempted)
        {
            var present = perBatch.GetValueOrDefault(id);
            Assert.True(present == 0 || present == batch.Points.Count, $"batch {id} is half-visible: {present} of {batch.Points.Count} points");
        }

        foreach (var batch in acknowledged.Values)
        {
            foreach (var point in batch.Points)
            {
                Assert.True(stored.TryGetValue(point.Id, out var node), $"acknowledged point {point.Id} is missing");
                var vector = node!["vector"]!.AsArray().Select(v => v!.GetValue<float>()).ToArray();
                Assert.Equal(point.Vector.Select(BitConverter.SingleToInt32Bits), vector.Select(BitConverter.SingleToInt32Bits));
                Assert.True(JsonNode.DeepEquals(point.Metadata, node["metadata"]), $"metadata of {point.Id} differs: {node["metadata"]}");
            }
        }

        Assert.Equal(stored.Count, perBatch.Where(kv => attempted.ContainsKey(kv.Key)).Sum(kv => kv.Value));
    }

    private sealed record Batch(string Id, List<(string Id, float[] Vector, JsonObject Metadata)> Points)
    {
        public static Batch Create(string id, int size, Random random)
        {
            var points = new List<(string, float[], JsonObject)>(size);
            for (var i = 0; i < size; i++)
            {
                var vector = new float[Dimension];
                for (var d = 0; d < Dimension; d++)
                {
                    vector[d] = (float)((random.NextDouble() * 2) - 1) * MathF.Pow(10, random.Next(-3, 4));
                }

                var metadata = new JsonObject
                {
                    ["batch"] = id,
                    ["size"] = size,
                    ["i"] = i,
                    ["note"] = $"π≈{random.NextDouble()} \"quoted\" ✓",
                    ["tags"] = new JsonArray("a", i % 2 == 0 ? "even" : "odd"),
                };
                points.Add(($"{id}-p{i}", vector, metadata));
            }

            return new Batch(id, points);
        }

        public object ToRequest() => new
        {
            points = Points.Select(p => new { id = p.Id, vector = p.Vector, metadata = p.Metadata }).ToArray(),
        };
    }
}
