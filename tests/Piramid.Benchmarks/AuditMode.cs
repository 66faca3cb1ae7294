using System.Diagnostics;
using Piramid.Contracts.Points;
using Piramid.Engine.Commands;
using Piramid.Engine.Queries;

namespace Piramid.Benchmarks;

/// <summary>
/// The cost of the engine's audit log on writes: durable upserts through the engine library with one audit entry
/// appended per request (what the host's AuditMiddleware does for every mutation) against none, in alternating A/B
/// rounds on fresh engines, and exact-search q/s on the result. Admitted reads write no entry (only refused ones do),
/// so the search figures show what the same data serves either way.
/// </summary>
internal sealed class AuditMode : IBenchmarkMode
{
    public string Name => "audit";

    public string Usage => "[--count 20000] [--dimension 128] [--batch 1,100] [--writers 4] [--rounds 3] [--durability batch] [--queries 200]";

    public int Run(BenchmarkArgs args)
    {
        var count = args.GetInt("count", 20_000, min: 1);
        var dimension = args.GetInt("dimension", 128, min: 1);
        var batchSizes = (args.GetString("batch") ?? "1,100").Split(',').Select(int.Parse).ToList();
        var writers = args.GetInt("writers", 4, min: 1);
        var rounds = args.GetInt("rounds", 3, min: 1);
        var durability = args.GetString("durability") ?? "batch";
        var queries = args.GetInt("queries", 200, min: 0);
        args.ThrowIfUnused();

        var random = new Random(42);
        var vectors = Enumerable.Range(0, count).Select(_ => Enumerable.Range(0, dimension).Select(_ => (float)(random.NextDouble() * 2 - 1)).ToArray()).ToArray();
        var ids = Enumerable.Range(0, count).Select(i => $"n:{i}").ToArray();
        Console.WriteLine($"{count} x {dimension} random vectors, {writers} writers, durability {durability}, {rounds} A/B rounds");
        var results = new List<(int Batch, bool Audit, int Round, double PointsPerSecond, double RequestsPerSecond, double Qps)>();
        foreach (var batchSize in batchSizes)
        {
            var batches = EngineBench.Batches(vectors, ids, batchSize);
            for (var round = 0; round < rounds; round++)
            {
                // Alternate which side goes first, so drift (page cache, CPU neighbours) does not favour one.
                foreach (var audit in round % 2 == 0 ? new[] { false, true } : [true, false])
                {
                    var (pps, rps, qps) = Measure(batches, vectors, count, writers, durability, audit, queries);
                    Console.WriteLine($"batch {batchSize,4} audit {(audit ? "on " : "off")} round {round + 1}: {pps,9:F0} points/s, {rps,8:F0} requests/s; exact search {qps:F1} q/s");
                    results.Add((batchSize, audit, round, pps, rps, qps));
                }
            }

            var off = results.Where(r => r.Batch == batchSize && !r.Audit).Select(r => r.RequestsPerSecond).Order().ToList();
            var on = results.Where(r => r.Batch == batchSize && r.Audit).Select(r => r.RequestsPerSecond).Order().ToList();
            Console.WriteLine($"batch {batchSize,4}: median {off[off.Count / 2]:F0} requests/s off, {on[on.Count / 2]:F0} on ({(on[on.Count / 2] / off[off.Count / 2] - 1) * 100:+0.0;-0.0}%)");
        }

        var path = BenchmarkReport.Write(Name, json =>
        {
            json.WriteString("mode", Name);
            json.WriteNumber("points", count);
            json.WriteNumber("dimension", dimension);
            json.WriteNumber("writers", writers);
            json.WriteString("durability", durability);
            json.WriteStartArray("runs");
            foreach (var r in results)
            {
                json.WriteStartObject();
                json.WriteNumber("batch", r.Batch);
                json.WriteBoolean("audit", r.Audit);
                json.WriteNumber("round", r.Round + 1);
                json.WriteNumber("points_per_second", Math.Round(r.PointsPerSecond));
                json.WriteNumber("requests_per_second", Math.Round(r.RequestsPerSecond));
                json.WriteNumber("exact_search_qps_1_thread", Math.Round(r.Qps, 1));
                json.WriteEndObject();
            }

            json.WriteEndArray();
        });
        Console.WriteLine($"wrote {path}");
        return 0;
    }

    private static (double Pps, double Rps, double Qps) Measure(
        List<UpsertPoints> batches, float[][] vectors, int count, int writers, string durability, bool audit, int queries)
    {
        var directory = EngineBench.TempDirectory("audit");
        try
        {
            using var key = EngineBench.NewPlatformKey();
            var engine = EngineBench.Open(directory, key, durability);
            engine.Create("bench", EngineBench.Collection(vectors[0].Length), out _);
            var collection = engine.Get("bench");
            var next = -1;
            var clock = Stopwatch.StartNew();
            var tasks = Enumerable.Range(0, writers).Select(_ => Task.Run(async () =>
            {
                int i;
                while ((i = Interlocked.Increment(ref next)) < batches.Count)
                {
                    await collection.UpsertAsync(batches[i]);
                    if (audit)
                    {
                        // The middleware's entry: principal, operation, collection, outcome, request id.
                        engine.Audit.Append("key:bench", "points.upsert", "bench", "ok", $"req-{i}");
                    }
                }
            })).ToArray();
            Task.WaitAll(tasks);
            var seconds = clock.Elapsed.TotalSeconds;
            var qps = 0.0;
            if (queries > 0)
            {
                var search = Stopwatch.StartNew();
                for (var q = 0; q < queries; q++)
                {
                    collection.Search(new SearchQuery { Vector = vectors[(q * 7919) % vectors.Length], TopK = 10 });
                }

                qps = queries / search.Elapsed.TotalSeconds;
            }

            engine.DisposeAsync().AsTask().GetAwaiter().GetResult();
            return (count / seconds, batches.Count / seconds, qps);
        }
        finally
        {
            Directory.Delete(directory, recursive: true);
        }
    }
}
