using System.Diagnostics;
using Piramid.Engine.Search;
using Piramid.Engine.Search.Hnsw;
using Piramid.TestKit.Datasets;

namespace Piramid.Benchmarks;

/// <summary>
/// The HNSW index on a TEXMEX dataset folder: build time per thread count, then for each <c>ef</c> and search
/// thread count the recall@k against <c>groundtruth.ivecs</c>, queries/s, p50/p99 latency, and memory.
/// Single-threaded figures compare with hnswlib's (see the issue's table); slots equal base rows.
/// </summary>
internal sealed class AnnMode : IBenchmarkMode
{
    public string Name => "ann";

    public string Usage =>
        "--dataset <folder> [--m 16] [--ef-construction 200] [--ef 10,20,40,80,160,320] [--threads 1,2] " +
        "[--build-threads <as --threads>] [--quantization none|int8] [--filtered 10,1,0.1] [--filtered-ef 20,64] [--filtered-queries 200] [--metric cosine|dot|euclidean] [--queries N] [--base N] [--k 10] [--rounds 3] [--graph <file>]";

    public int Run(BenchmarkArgs args)
    {
        string folder = Path.GetFullPath(args.GetRequiredString("dataset"));
        string datasetName = new DirectoryInfo(folder).Name;
        var metric = ExactMode.ParseMetric(args.GetString("metric"), datasetName);
        int m = args.GetInt("m", 16, min: 2);
        int efConstruction = args.GetInt("ef-construction", 200, min: 1);
        int[] efs = ParseList(args.GetString("ef") ?? "10,20,40,80,160,320", "ef");
        int[] threads = ParseList(args.GetString("threads") ?? "1,2", "threads");
        int[] buildThreads = ParseList(args.GetString("build-threads") ?? string.Join(',', threads), "build-threads");
        int queryLimit = args.GetInt("queries", int.MaxValue, min: 1);
        int baseLimit = args.GetInt("base", int.MaxValue, min: 1);
        int k = args.GetInt("k", 10, min: 1);
        int rounds = args.GetInt("rounds", 3, min: 1);
        string quantization = args.GetString("quantization") ?? "none";
        if (quantization is not ("none" or "int8"))
        {
            throw new ArgumentException($"--quantization must be none or int8, got '{quantization}'.");
        }

        double[] filteredShares = (args.GetString("filtered") ?? string.Empty)
            .Split(',', StringSplitOptions.RemoveEmptyEntries)
            .Select(t => double.Parse(t, System.Globalization.CultureInfo.InvariantCulture))
            .ToArray();
        int[] filteredEfs = ParseList(args.GetString("filtered-ef") ?? "20,64", "filtered-ef");
        int filteredQueries = args.GetInt("filtered-queries", 200, min: 1);
        string? graphFile = args.GetString("graph");
        args.ThrowIfUnused();
        if (graphFile is not null && quantization != "none")
        {
            throw new ArgumentException("--graph saves and loads float graphs only (int8 codes are trained while building).");
        }

        var baseVectors = DatasetFolder.LoadBase(folder, baseLimit).Vectors;
        var queries = Fvecs.Read(Path.Combine(folder, "query.fvecs"), queryLimit);
        int[][] truth = baseLimit == int.MaxValue
            ? Ivecs.Read(Path.Combine(folder, "groundtruth.ivecs"), queryLimit)
            : ExactTruth(baseVectors, queries, metric, k);
        int dimension = baseVectors[0].Length;
        Console.WriteLine($"{datasetName}: {baseVectors.Length} x {dimension}, {queries.Length} queries, metric {metric}, M {m}, ef_construction {efConstruction}, quantization {quantization}, k {k}");

        var builds = new List<(int Threads, double Seconds)>();
        HnswIndex? index = null;
        VectorSlab? slab = null;
        if (graphFile is not null && File.Exists(graphFile))
        {
            buildThreads = [];
            (index, slab) = LoadGraph(graphFile, baseVectors, metric, m, efConstruction);
            Console.WriteLine($"graph loaded from {graphFile} (no build)");
        }

        foreach (int t in buildThreads)
        {
            slab = new VectorSlab(dimension, baseVectors.Length);
            foreach (var vector in baseVectors)
            {
                slab.Add(vector);
            }

            index = HnswIndex.Create(slab, metric, m, efConstruction, int8: quantization == "int8");
            var clock = Stopwatch.StartNew();
            Build(index, baseVectors.Length, t);
            builds.Add((t, clock.Elapsed.TotalSeconds));
            Console.WriteLine($"build {clock.Elapsed.TotalSeconds:F1} s on {t} thread(s)");
        }

        if (graphFile is not null && builds.Count > 0)
        {
            SaveGraph(graphFile, index!, baseVectors.Length);
            Console.WriteLine($"graph saved to {graphFile}");
        }

        GC.Collect();
        long rss = Process.GetCurrentProcess().WorkingSet64;
        long vectorBytes = (long)baseVectors.Length * dimension * sizeof(float);
        long graphBytes = index!.GraphBytes;
        long codeBytes = index.CodeBytes;
        Console.WriteLine($"memory: RSS {rss / 1e6:F0} MB; per vector {vectorBytes / baseVectors.Length} B float + {codeBytes / baseVectors.Length} B int8 codes + {graphBytes / baseVectors.Length} B graph");

        // Warm-up until the search loops run fully optimized code (tiered compilation); not measured.
        var warmup = Stopwatch.StartNew();
        for (int i = 0; warmup.ElapsedMilliseconds < 1500; i++)
        {
            index.Search(queries[i % queries.Length], k, efs[0], null);
        }

        Console.WriteLine($"{"ef",6} {"threads",7} {"recall",8} {"q/s",9} {"q/cpu-s",9} {"p50 ms",8} {"p99 ms",8}");
        var rows = new List<(int Ef, int Threads, double Recall, double Qps, double CpuQps, double P50, double P99)>();
        foreach (int ef in efs)
        {
            foreach (int t in threads)
            {
                var row = Measure(index, queries, truth, k, ef, t, rounds);
                rows.Add((ef, t, row.Recall, row.Qps, row.CpuQps, row.P50, row.P99));
                Console.WriteLine($"{ef,6} {t,7} {row.Recall,8:F4} {row.Qps,9:F0} {row.CpuQps,9:F0} {row.P50,8:F3} {row.P99,8:F3}");
            }
        }

        var filteredRows = FilteredMode.Run(index, slab!, metric, queries[..Math.Min(filteredQueries, queries.Length)], k, filteredEfs, m, filteredShares);

        string path = BenchmarkReport.Write($"{Name}-{datasetName}-{quantization}", json =>
        {
            json.WriteString("mode", Name);
            json.WriteString("dataset", datasetName);
            json.WriteString("metric", metric.ToString().ToLowerInvariant());
            json.WriteNumber("base_count", baseVectors.Length);
            json.WriteNumber("dimension", dimension);
            json.WriteNumber("queries", queries.Length);
            json.WriteNumber("m", m);
            json.WriteNumber("ef_construction", efConstruction);
            json.WriteString("quantization", quantization);
            json.WriteNumber("k", k);
            json.WriteStartArray("builds");
            foreach (var (t, seconds) in builds)
            {
                json.WriteStartObject();
                json.WriteNumber("threads", t);
                json.WriteNumber("seconds", Math.Round(seconds, 2));
                json.WriteEndObject();
            }

            json.WriteEndArray();
            json.WriteNumber("rss_bytes", rss);
            json.WriteNumber("vector_bytes_per_point", vectorBytes / baseVectors.Length);
            json.WriteNumber("graph_bytes_per_point", graphBytes / baseVectors.Length);
            json.WriteNumber("int8_code_bytes_per_point", codeBytes / baseVectors.Length);
            json.WriteStartArray("searches");
            foreach (var row in rows)
            {
                json.WriteStartObject();
                json.WriteNumber("ef", row.Ef);
                json.WriteNumber("threads", row.Threads);
                json.WriteNumber($"recall_at_{k}", Math.Round(row.Recall, 5));
                json.WriteNumber("queries_per_second", Math.Round(row.Qps, 1));
                json.WriteNumber("queries_per_cpu_second", Math.Round(row.CpuQps, 1));
                json.WriteNumber("latency_p50_ms", Math.Round(row.P50, 4));
                json.WriteNumber("latency_p99_ms", Math.Round(row.P99, 4));
                json.WriteEndObject();
            }

            json.WriteEndArray();
            FilteredMode.Write(json, filteredRows, k);
        });
        Console.WriteLine($"wrote {path}");
        return 0;
    }

    // Threads take the next slot from a shared counter, like a stream of concurrent upserts.
    private static void Build(HnswIndex index, int count, int threads)
    {
        for (int slot = 0; slot < count; slot++)
        {
            index.Reserve(slot, HnswLevels.LevelFor(HnswLevels.Mix((ulong)slot), index.M));
        }

        int next = -1;
        var workers = new Thread[threads];
        for (int t = 0; t < threads; t++)
        {
            workers[t] = new Thread(() =>
            {
                for (int slot = Interlocked.Increment(ref next); slot < count; slot = Interlocked.Increment(ref next))
                {
                    index.Link(slot);
                }
            });
            workers[t].Start();
        }

        foreach (var worker in workers)
        {
            worker.Join();
        }
    }

    // --graph: the graph's checkpoint chunks, each as a 32-bit length and its bytes, so that alternating rounds
    // against another library measure searches without a build each (slots equal base rows).
    private static void SaveGraph(string path, HnswIndex index, int count)
    {
        using var writer = new BinaryWriter(File.Create(path));
        foreach (var chunk in index.Save(count))
        {
            writer.Write(chunk.Length);
            writer.Write(chunk);
        }
    }

    private static (HnswIndex Index, VectorSlab Slab) LoadGraph(string path, float[][] baseVectors, DistanceMetric metric, int m, int efConstruction)
    {
        var slab = new VectorSlab(baseVectors[0].Length, baseVectors.Length);
        foreach (var vector in baseVectors)
        {
            slab.Add(vector);
        }

        var index = HnswIndex.Create(slab, metric, m, efConstruction);
        using var reader = new BinaryReader(File.OpenRead(path));
        int slotCount = index.LoadHeader(reader.ReadBytes(reader.ReadInt32()));
        if (slotCount != baseVectors.Length)
        {
            throw new InvalidDataException($"{path} holds a graph of {slotCount} nodes, the dataset has {baseVectors.Length} vectors.");
        }

        while (reader.BaseStream.Position < reader.BaseStream.Length)
        {
            index.LoadNodes(reader.ReadBytes(reader.ReadInt32()), slotCount);
        }

        if (index.ReservedSlots().Any())
        {
            throw new InvalidDataException($"{path} holds nodes that were never linked.");
        }

        return (index, slab);
    }

    // Best of several rounds (the least disturbed on shared cores), after a warm-up round. Queries per CPU second
    // divide by the searching threads' own CPU time (ThreadCpuClock), its best round apart from the wall clock's.
    private static (double Recall, double Qps, double CpuQps, double P50, double P99) Measure(HnswIndex index, float[][] queries, int[][] truth, int k, int ef, int threads, int rounds)
    {
        var results = new ScoredSlot[queries.Length][];
        var latencies = new double[queries.Length];
        double bestSeconds = double.MaxValue;
        double bestCpuSeconds = double.MaxValue;
        double[] bestLatencies = [];
        for (int round = -1; round < rounds; round++)
        {
            var wall = Stopwatch.StartNew();
            var workers = new Thread[threads];
            var cpuSeconds = new double[threads];
            for (int t = 0; t < threads; t++)
            {
                int first = t;
                workers[t] = new Thread(() =>
                {
                    double cpuStart = ThreadCpuClock.Seconds();
                    for (int q = first; q < queries.Length; q += threads)
                    {
                        long start = Stopwatch.GetTimestamp();
                        results[q] = index.Search(queries[q], k, ef, null);
                        latencies[q] = Stopwatch.GetElapsedTime(start).TotalMilliseconds;
                    }

                    cpuSeconds[first] = ThreadCpuClock.Seconds() - cpuStart;
                });
                workers[t].Start();
            }

            foreach (var worker in workers)
            {
                worker.Join();
            }

            double seconds = wall.Elapsed.TotalSeconds;
            if (round >= 0 && seconds < bestSeconds)
            {
                bestSeconds = seconds;
                bestLatencies = (double[])latencies.Clone();
            }

            if (round >= 0)
            {
                bestCpuSeconds = Math.Min(bestCpuSeconds, cpuSeconds.Sum());
            }
        }

        Array.Sort(bestLatencies);
        double recall = 0;
        for (int q = 0; q < queries.Length; q++)
        {
            var expected = new HashSet<int>(truth[q].Take(k));
            recall += results[q].Take(k).Count(r => expected.Contains(r.Slot)) / (double)k;
        }

        return (recall / queries.Length, queries.Length / bestSeconds, queries.Length / bestCpuSeconds, ExactMode.Percentile(bestLatencies, 0.5), ExactMode.Percentile(bestLatencies, 0.99));
    }

    private static int[][] ExactTruth(float[][] baseVectors, float[][] queries, DistanceMetric metric, int k)
    {
        var slab = new VectorSlab(baseVectors[0].Length, baseVectors.Length);
        foreach (var vector in baseVectors)
        {
            slab.Add(vector);
        }

        return [.. queries.Select(q => ExactSearch.Search(slab, metric, q, k, null, null).Select(h => h.Slot).ToArray())];
    }

    private static int[] ParseList(string text, string name)
    {
        try
        {
            var values = text.Split(',').Select(int.Parse).ToArray();
            return values.All(v => v >= 1) ? values : throw new FormatException();
        }
        catch (FormatException)
        {
            throw new ArgumentException($"--{name} must be a comma-separated list of positive integers, got '{text}'.");
        }
    }
}
