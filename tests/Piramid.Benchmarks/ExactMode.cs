using System.Diagnostics;
using Piramid.Engine.Search;
using Piramid.TestKit.Datasets;

namespace Piramid.Benchmarks;

/// <summary>
/// Exact search on a TEXMEX dataset folder (<c>base.fvecs[.gz]</c>, <c>query.fvecs</c>, <c>groundtruth.ivecs</c>):
/// queries/s, p50/p99 latency and recall@k against the ground-truth file (exact search should give ~1.0).
/// </summary>
internal sealed class ExactMode : IBenchmarkMode
{
    public string Name => "exact";

    public string Usage => "--dataset <folder> [--metric cosine|dot|euclidean] [--queries N] [--threads 1] [--k 10]";

    public int Run(BenchmarkArgs args)
    {
        string folder = Path.GetFullPath(args.GetRequiredString("dataset"));
        string datasetName = new DirectoryInfo(folder).Name;
        var metric = ParseMetric(args.GetString("metric"), datasetName);
        int queryLimit = args.GetInt("queries", int.MaxValue, min: 1);
        int threads = args.GetInt("threads", 1, min: 1);
        int k = args.GetInt("k", 10, min: 1);
        args.ThrowIfUnused();

        var load = Stopwatch.StartNew();
        string basePath = File.Exists(Path.Combine(folder, "base.fvecs"))
            ? Path.Combine(folder, "base.fvecs")
            : Path.Combine(folder, "base.fvecs.gz");
        var baseVectors = Fvecs.Read(basePath);
        var queries = Fvecs.Read(Path.Combine(folder, "query.fvecs"), queryLimit);
        var groundTruth = Ivecs.Read(Path.Combine(folder, "groundtruth.ivecs"), queryLimit);
        if (groundTruth.Length < queries.Length || groundTruth[0].Length < k)
        {
            throw new ArgumentException($"groundtruth.ivecs has {groundTruth.Length} rows of {groundTruth[0].Length}; need {queries.Length} of {k}.");
        }

        double loadSeconds = load.Elapsed.TotalSeconds;
        var fill = Stopwatch.StartNew();
        var slab = new VectorSlab(baseVectors[0].Length, baseVectors.Length);
        foreach (var vector in baseVectors)
        {
            // Slots equal base rows because the slab starts empty and nothing is removed.
            slab.Add(vector);
        }

        double fillSeconds = fill.Elapsed.TotalSeconds;
        Console.WriteLine($"{datasetName}: {baseVectors.Length} x {slab.Dimension}, {queries.Length} queries, metric {metric}, k {k}, threads {threads}");
        Console.WriteLine($"load {loadSeconds:F1} s, fill slab {fillSeconds * 1000:F0} ms");

        // Warm-up until the scan loop runs fully optimized code; not timed, not counted.
        var warmup = Stopwatch.StartNew();
        for (int i = 0; i < 30 || warmup.ElapsedMilliseconds < 500; i++)
        {
            ExactSearch.Search(slab, metric, queries[i % queries.Length], k, null, null);
        }

        var latencies = new double[queries.Length];
        var results = new ScoredSlot[queries.Length][];
        var wall = Stopwatch.StartNew();
        var workers = new Thread[threads];
        for (int t = 0; t < threads; t++)
        {
            int first = t;
            workers[t] = new Thread(() =>
            {
                // Strided so every thread gets a similar mix of queries.
                for (int q = first; q < queries.Length; q += threads)
                {
                    long start = Stopwatch.GetTimestamp();
                    results[q] = ExactSearch.Search(slab, metric, queries[q], k, null, null);
                    latencies[q] = Stopwatch.GetElapsedTime(start).TotalMilliseconds;
                }
            });
            workers[t].Start();
        }

        foreach (var worker in workers)
        {
            worker.Join();
        }

        double wallSeconds = wall.Elapsed.TotalSeconds;
        double qps = queries.Length / wallSeconds;
        Array.Sort(latencies);
        double p50 = Percentile(latencies, 0.50);
        double p99 = Percentile(latencies, 0.99);
        double recall = Recall(results, groundTruth, k);

        Console.WriteLine($"queries/s {qps:F1}   p50 {p50:F3} ms   p99 {p99:F3} ms   recall@{k} {recall:F4}");
        string path = BenchmarkReport.Write($"{Name}-{datasetName}", json =>
        {
            json.WriteString("mode", Name);
            json.WriteString("dataset", datasetName);
            json.WriteString("metric", metric.ToString().ToLowerInvariant());
            json.WriteNumber("base_count", baseVectors.Length);
            json.WriteNumber("dimension", slab.Dimension);
            json.WriteNumber("queries", queries.Length);
            json.WriteNumber("threads", threads);
            json.WriteNumber("k", k);
            json.WriteNumber("queries_per_second", Math.Round(qps, 2));
            json.WriteNumber("latency_p50_ms", Math.Round(p50, 4));
            json.WriteNumber("latency_p99_ms", Math.Round(p99, 4));
            json.WriteNumber($"recall_at_{k}", Math.Round(recall, 5));
            json.WriteNumber("load_seconds", Math.Round(loadSeconds, 2));
            json.WriteNumber("fill_ms", Math.Round(fillSeconds * 1000, 1));
        });
        Console.WriteLine($"wrote {path}");
        return 0;
    }

    internal static DistanceMetric ParseMetric(string? text, string datasetName)
    {
        // Default from the ann-benchmarks naming convention: "<name>-<dim>-<euclidean|angular>".
        text ??= datasetName.EndsWith("-angular", StringComparison.Ordinal) ? "cosine"
            : datasetName.EndsWith("-euclidean", StringComparison.Ordinal) ? "euclidean"
            : throw new ArgumentException("--metric is required when the dataset name does not end in -angular or -euclidean.");
        return text switch
        {
            "cosine" or "angular" => DistanceMetric.Cosine,
            "euclidean" or "l2" => DistanceMetric.Euclidean,
            "dot" => DistanceMetric.Dot,
            _ => throw new ArgumentException($"--metric must be cosine, dot or euclidean, got '{text}'."),
        };
    }

    // Nearest-rank percentile of sorted values.
    internal static double Percentile(double[] sorted, double p) =>
        sorted[Math.Clamp((int)Math.Ceiling(p * sorted.Length) - 1, 0, sorted.Length - 1)];

    private static double Recall(ScoredSlot[][] results, int[][] groundTruth, int k)
    {
        double total = 0;
        for (int q = 0; q < results.Length; q++)
        {
            var truth = new HashSet<int>(groundTruth[q].Take(k));
            total += results[q].Take(k).Count(r => truth.Contains(r.Slot)) / (double)k;
        }

        return total / results.Length;
    }
}
