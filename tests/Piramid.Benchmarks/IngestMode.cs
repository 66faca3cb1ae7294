using System.Diagnostics;
using Piramid.Contracts.Points;
using Piramid.Engine.Queries;

namespace Piramid.Benchmarks;

/// <summary>
/// Durable ingest through the engine library (validation, WAL, encryption, fsync under the policy):
/// points per second with concurrent writers, for each durability policy, then exact-search q/s on the result.
/// </summary>
internal sealed class IngestMode : IBenchmarkMode
{
    public string Name => "ingest";

    public string Usage => "--dataset <folder> [--count 100000] [--batch 1000] [--writers 4] [--durability batch,always] [--queries 200]";

    public int Run(BenchmarkArgs args)
    {
        var folder = Path.GetFullPath(args.GetRequiredString("dataset"));
        var count = args.GetInt("count", 100_000, min: 1);
        var batchSize = args.GetInt("batch", 1000, min: 1);
        var writers = args.GetInt("writers", 4, min: 1);
        var policies = (args.GetString("durability") ?? "batch,always").Split(',');
        var queryCount = args.GetInt("queries", 200, min: 0);
        args.ThrowIfUnused();

        var (vectors, ids) = DatasetFolder.LoadBase(folder, count);
        var batches = EngineBench.Batches(vectors, ids, batchSize);
        var dataset = new DirectoryInfo(folder).Name;
        Console.WriteLine($"{dataset}: {vectors.Length} x {vectors[0].Length}, batches of {batchSize}, {writers} writers");
        var results = new List<(string Policy, double Seconds, double PointsPerSecond, double FirstTenThousandSeconds, double Qps)>();
        foreach (var policy in policies)
        {
            var directory = EngineBench.TempDirectory("ingest");
            try
            {
                using var key = EngineBench.NewPlatformKey();
                var engine = EngineBench.Open(directory, key, policy);
                engine.Create("bench", EngineBench.Collection(vectors[0].Length), out _);
                var collection = engine.Get("bench");
                var next = -1;
                var acknowledged = 0;
                double firstTenThousand = 0;
                var clock = Stopwatch.StartNew();
                var tasks = Enumerable.Range(0, writers).Select(_ => Task.Run(async () =>
                {
                    int i;
                    while ((i = Interlocked.Increment(ref next)) < batches.Count)
                    {
                        var result = await collection.UpsertAsync(batches[i]);
                        if (Interlocked.Add(ref acknowledged, (int)result.Count) >= 10_000 && firstTenThousand == 0)
                        {
                            firstTenThousand = clock.Elapsed.TotalSeconds;
                        }
                    }
                })).ToArray();
                Task.WaitAll(tasks);
                var seconds = clock.Elapsed.TotalSeconds;
                var rate = vectors.Length / seconds;

                var qps = 0.0;
                if (queryCount > 0)
                {
                    var search = Stopwatch.StartNew();
                    for (var q = 0; q < queryCount; q++)
                    {
                        collection.Search(new SearchQuery { Vector = vectors[(q * 7919) % vectors.Length], TopK = 10 });
                    }

                    qps = queryCount / search.Elapsed.TotalSeconds;
                }

                Console.WriteLine($"durability {policy,-8} {vectors.Length} points in {seconds:F2} s = {rate:F0} points/s durably; first 10,000 acknowledged after {firstTenThousand:F3} s; exact search {qps:F1} q/s (1 thread)");
                results.Add((policy, seconds, rate, firstTenThousand, qps));
                engine.DisposeAsync().AsTask().GetAwaiter().GetResult();
            }
            finally
            {
                Directory.Delete(directory, recursive: true);
            }
        }

        var path = BenchmarkReport.Write($"{Name}-{dataset}", json =>
        {
            json.WriteString("mode", Name);
            json.WriteString("dataset", dataset);
            json.WriteNumber("points", vectors.Length);
            json.WriteNumber("dimension", vectors[0].Length);
            json.WriteNumber("batch", batchSize);
            json.WriteNumber("writers", writers);
            json.WriteStartArray("runs");
            foreach (var r in results)
            {
                json.WriteStartObject();
                json.WriteString("durability", r.Policy);
                json.WriteNumber("seconds", Math.Round(r.Seconds, 3));
                json.WriteNumber("points_per_second", Math.Round(r.PointsPerSecond));
                json.WriteNumber("first_10000_acknowledged_seconds", Math.Round(r.FirstTenThousandSeconds, 3));
                json.WriteNumber("exact_search_qps_1_thread", Math.Round(r.Qps, 1));
                json.WriteEndObject();
            }

            json.WriteEndArray();
        });
        Console.WriteLine($"wrote {path}");
        return 0;
    }
}
