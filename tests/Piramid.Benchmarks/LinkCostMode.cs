using System.Diagnostics;
using Piramid.Contracts.Points;
using Piramid.Engine.Commands;
using Piramid.Engine.Search;
using Piramid.Engine.Search.Hnsw;
using Piramid.Engine.Storage;

namespace Piramid.Benchmarks;

/// <summary>
/// The CPU one graph link costs, inline and behind acknowledgement, in one process and the same minutes
/// (docs/design/ingest.md, "The linker's priority and CPU per point"). Alternating rounds of: the graph built directly
/// on 1 and 2 threads (<c>direct-T</c>, linking only, as writers linked before the background linker); the same points
/// upserted into a flat collection (<c>flat</c>: acceptance only, no graph); and into an HNSW collection whose linker
/// runs W workers, until the tail is empty (<c>linker-W</c>: acceptance and linking). <c>linker-W</c> minus
/// <c>flat</c> against <c>direct-T</c> is what linking in the background adds per point.
/// </summary>
internal sealed class LinkCostMode : IBenchmarkMode
{
    public string Name => "link-cost";

    public string Usage => "[--points 20000] [--dimension 256] [--ef-construction 200] [--m 16] [--rounds 3] [--variants direct-1,flat,linker-1,direct-2,linker-2]";

    public int Run(BenchmarkArgs args)
    {
        var count = args.GetInt("points", 20_000, min: 1);
        var dimension = args.GetInt("dimension", 256, min: 1);
        var efConstruction = args.GetInt("ef-construction", 200, min: 1);
        var m = args.GetInt("m", 16, min: 2);
        var rounds = args.GetInt("rounds", 3, min: 1);
        var variants = (args.GetString("variants") ?? "direct-1,flat,linker-1,direct-2,linker-2").Split(',');
        args.ThrowIfUnused();

        // The same points as the api-ingest benchmark's bodies: uniform in [-0.5, 0.5), seed 42.
        var random = new Random(42);
        var vectors = new float[count][];
        var ids = new string[count];
        for (var i = 0; i < count; i++)
        {
            vectors[i] = new float[dimension];
            for (var d = 0; d < dimension; d++)
            {
                vectors[i][d] = random.NextSingle() - 0.5f;
            }

            ids[i] = $"w:{i}";
        }

        var batches = EngineBench.Batches(vectors, ids, 500);
        Console.WriteLine($"{count} x {dimension}-d, M {m}, ef_construction {efConstruction}, {rounds} rounds of {string.Join(", ", variants)}; CPU us per point (process), wall s");
        var results = variants.ToDictionary(v => v, _ => new List<(double Cpu, double Wall)>());
        for (var round = 0; round < rounds; round++)
        {
            foreach (var variant in variants)
            {
                GC.Collect();
                var cpuBefore = Environment.CpuUsage.TotalTime;
                var clock = Stopwatch.StartNew();
                var (kind, number) = (variant.Split('-')[0], variant.Contains('-', StringComparison.Ordinal) ? int.Parse(variant.Split('-')[1], System.Globalization.CultureInfo.InvariantCulture) : 0);
                switch (kind)
                {
                    case "direct":
                        Direct(vectors, m, efConstruction, number);
                        break;
                    case "flat":
                        Collection(batches, count, dimension, new IndexSpec("flat"), 1);
                        break;
                    case "linker":
                        Collection(batches, count, dimension, new IndexSpec("hnsw", m, efConstruction), number);
                        break;
                    default:
                        throw new ArgumentException($"Unknown variant '{variant}' (direct-T, flat, linker-W).");
                }

                var cpu = (Environment.CpuUsage.TotalTime - cpuBefore).TotalMicroseconds / count;
                results[variant].Add((cpu, clock.Elapsed.TotalSeconds));
                Console.WriteLine($"round {round + 1} {variant,-10} {cpu,8:F0} us/point {clock.Elapsed.TotalSeconds,8:F2} s");
            }
        }

        foreach (var (variant, runs) in results)
        {
            var cpus = runs.Select(r => r.Cpu).Order().ToArray();
            Console.WriteLine($"median {variant,-10} {cpus[cpus.Length / 2],8:F0} us/point (min {cpus[0]:F0}, max {cpus[^1]:F0})");
        }

        var path = BenchmarkReport.Write(Name, json =>
        {
            json.WriteString("mode", Name);
            json.WriteNumber("points", count);
            json.WriteNumber("dimension", dimension);
            json.WriteNumber("m", m);
            json.WriteNumber("ef_construction", efConstruction);
            json.WriteStartArray("runs");
            foreach (var (variant, runs) in results)
            {
                foreach (var (cpu, wall) in runs)
                {
                    json.WriteStartObject();
                    json.WriteString("variant", variant);
                    json.WriteNumber("cpu_us_per_point", Math.Round(cpu, 1));
                    json.WriteNumber("seconds", Math.Round(wall, 2));
                    json.WriteEndObject();
                }
            }

            json.WriteEndArray();
        });
        Console.WriteLine($"wrote {path}");
        return 0;
    }

    // Linking only: the slab filled up front, every node reserved, then linked by `threads` threads in slot order.
    private static void Direct(float[][] vectors, int m, int efConstruction, int threads)
    {
        var slab = new VectorSlab(vectors[0].Length, vectors.Length);
        foreach (var vector in vectors)
        {
            slab.Add(vector);
        }

        var index = HnswIndex.Create(slab, DistanceMetric.Cosine, m, efConstruction);
        for (var slot = 0; slot < vectors.Length; slot++)
        {
            index.Reserve(slot, HnswLevels.LevelFor(HnswLevels.Mix((ulong)slot), index.M));
        }

        // One thread also reports the CPU per link by fifths of the build: a link's cost grows with the graph
        // (longer walks, and a slab that outgrows the caches), so only equal point counts compare.
        var fifth = Math.Max(1, vectors.Length / 5);
        var marks = new List<string>();
        var next = -1;
        var workers = new Thread[threads];
        for (var t = 0; t < threads; t++)
        {
            workers[t] = new Thread(() =>
            {
                var mark = Environment.CpuUsage.TotalTime;
                for (var slot = Interlocked.Increment(ref next); slot < vectors.Length; slot = Interlocked.Increment(ref next))
                {
                    index.Link(slot);
                    if (threads == 1 && (slot + 1) % fifth == 0)
                    {
                        var now = Environment.CpuUsage.TotalTime;
                        marks.Add($"{(now - mark).TotalMicroseconds / fifth:F0}");
                        mark = now;
                    }
                }
            });
            workers[t].Start();
        }

        foreach (var worker in workers)
        {
            worker.Join();
        }

        if (marks.Count > 0)
        {
            Console.WriteLine($"  direct-1 CPU us per link by fifth of the build: {string.Join(", ", marks)}");
        }
    }

    // Acceptance (and, for hnsw, linking behind it): 4 writers upsert the batches, then the linker drains the tail.
    private static void Collection(List<UpsertPoints> batches, int count, int dimension, IndexSpec index, int linkWorkers)
    {
        var directory = EngineBench.TempDirectory("link-cost");
        try
        {
            using var key = EngineBench.NewPlatformKey();
            var engine = Piramid.Engine.VectorEngine.Open(
                new Piramid.Engine.EngineOptions
                {
                    DataDirectory = directory,
                    Durability = DurabilityPolicy.Parse("batch"),
                    CheckpointAfterWalBytes = long.MaxValue,
                    CheckpointInterval = TimeSpan.FromDays(1),
                    LinkWorkers = linkWorkers,
                    MaxUnlinkedPoints = 10_000_000,
                },
                key);
            engine.Create("bench", new CreateCollection(dimension, "cosine", index), out _);
            var collection = engine.Get("bench");
            var next = -1;
            var writers = Enumerable.Range(0, 4).Select(_ => Task.Run(async () =>
            {
                int i;
                while ((i = Interlocked.Increment(ref next)) < batches.Count)
                {
                    await collection.UpsertAsync(batches[i]);
                }
            })).ToArray();
            var marks = new List<string>();
            var fifth = Math.Max(1, count / 5);
            var (mark, markedLinks) = (Environment.CpuUsage.TotalTime, 0L);
            void Sample()
            {
                // CPU per link by fifths, sampled every 20 ms (acceptance runs beside the first fifths).
                var links = collection.BackgroundLinks;
                if (links - markedLinks >= fifth)
                {
                    var now = Environment.CpuUsage.TotalTime;
                    marks.Add($"{(now - mark).TotalMicroseconds / (links - markedLinks):F0}");
                    (mark, markedLinks) = (now, links);
                }
            }

            while (!Task.WaitAll(writers, 20))
            {
                Sample();
            }

            // Asked once every write is in: the tail is then complete, and empty only when all is linked.
            var linked = collection.WhenLinkedAsync();
            while (!linked.Wait(20))
            {
                Sample();
            }

            if (marks.Count > 0)
            {
                Console.WriteLine($"  linker-{linkWorkers} CPU us per link by fifth (acceptance included while it ran): {string.Join(", ", marks)}");
            }

            engine.DisposeAsync().AsTask().GetAwaiter().GetResult();
        }
        finally
        {
            Directory.Delete(directory, recursive: true);
        }
    }
}
