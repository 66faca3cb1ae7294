using System.Diagnostics;

namespace Piramid.Benchmarks;

/// <summary>
/// Recovery time after a kill: writes <c>--records</c> WAL records (one point each), copies the data
/// directory while the engine still runs (a crash image: no checkpoint, the log is all there is), and
/// times opening that copy until every record is replayed and the collection serves.
/// </summary>
internal sealed class RecoveryMode : IBenchmarkMode
{
    public string Name => "recovery";

    public string Usage => "--dataset <folder> [--records 100000] [--runs 3]";

    public int Run(BenchmarkArgs args)
    {
        var folder = Path.GetFullPath(args.GetRequiredString("dataset"));
        var records = args.GetInt("records", 100_000, min: 1);
        var runs = args.GetInt("runs", 3, min: 1);
        args.ThrowIfUnused();

        var (vectors, ids) = DatasetFolder.LoadBase(folder, records);
        var batches = EngineBench.Batches(vectors, ids, 1);
        var dataset = new DirectoryInfo(folder).Name;
        var source = EngineBench.TempDirectory("recovery-src");
        var timings = new List<double>();
        using var key = EngineBench.NewPlatformKey();
        try
        {
            var engine = EngineBench.Open(source, key, "none");
            engine.Create("bench", EngineBench.Collection(vectors[0].Length), out _);
            var collection = engine.Get("bench");
            var write = Stopwatch.StartNew();
            var tasks = batches.Select(b => collection.UpsertAsync(b)).ToArray();
            Task.WaitAll(tasks);
            Console.WriteLine($"{dataset}: wrote {records} records of one {vectors[0].Length}-d point in {write.Elapsed.TotalSeconds:F1} s");

            for (var run = 0; run < runs; run++)
            {
                var image = EngineBench.TempDirectory("recovery-img");
                try
                {
                    CopyDirectory(source, image);
                    var clock = Stopwatch.StartNew();
                    var recovered = EngineBench.Open(image, key, "batch");
                    var count = recovered.Get("bench").Count;
                    var seconds = clock.Elapsed.TotalSeconds;
                    if (count != records)
                    {
                        throw new InvalidOperationException($"recovered {count} points, expected {records}");
                    }

                    timings.Add(seconds);
                    Console.WriteLine($"run {run + 1}: recovered {count} points from the log in {seconds:F2} s");
                    recovered.DisposeAsync().AsTask().GetAwaiter().GetResult();
                }
                finally
                {
                    Directory.Delete(image, recursive: true);
                }
            }

            engine.DisposeAsync().AsTask().GetAwaiter().GetResult();
        }
        finally
        {
            Directory.Delete(source, recursive: true);
        }

        timings.Sort();
        var median = timings[timings.Count / 2];
        Console.WriteLine($"recovery of {records} WAL records: median {median:F2} s over {runs} runs (min {timings[0]:F2}, max {timings[^1]:F2})");
        var path = BenchmarkReport.Write($"{Name}-{dataset}", json =>
        {
            json.WriteString("mode", Name);
            json.WriteString("dataset", dataset);
            json.WriteNumber("records", records);
            json.WriteNumber("median_seconds", Math.Round(median, 3));
            json.WriteNumber("min_seconds", Math.Round(timings[0], 3));
            json.WriteNumber("max_seconds", Math.Round(timings[^1], 3));
        });
        Console.WriteLine($"wrote {path}");
        return 0;
    }

    private static void CopyDirectory(string from, string to)
    {
        foreach (var dir in Directory.GetDirectories(from, "*", SearchOption.AllDirectories))
        {
            Directory.CreateDirectory(dir.Replace(from, to, StringComparison.Ordinal));
        }

        foreach (var file in Directory.GetFiles(from, "*", SearchOption.AllDirectories))
        {
            if (Path.GetFileName(file) != "engine.lock")
            {
                File.Copy(file, file.Replace(from, to, StringComparison.Ordinal));
            }
        }
    }
}
