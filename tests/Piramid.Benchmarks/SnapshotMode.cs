using System.Diagnostics;
using Piramid.Engine;
using Piramid.Engine.Backups;
using Piramid.Engine.Commands;

namespace Piramid.Benchmarks;

/// <summary>
/// Backups in the engine (docs/design/backups.md): snapshot and restore throughput of <c>--points</c> × <c>--dim</c>
/// (seeded random vectors, a checkpoint plus a log tail), and the write stall a snapshot causes: the p99 latency
/// of a steady writer (one point per write, batch durability) for <c>--seconds</c> without snapshots, then with
/// snapshots taken back to back.
/// </summary>
internal sealed class SnapshotMode : IBenchmarkMode
{
    public string Name => "snapshot";

    public string Usage => "[--points 100000] [--dim 256] [--seconds 5]";

    public int Run(BenchmarkArgs args)
    {
        var points = args.GetInt("points", 100_000, min: 1000);
        var dim = args.GetInt("dim", 256, min: 1);
        var seconds = args.GetInt("seconds", 5, min: 1);
        args.ThrowIfUnused();
        var directory = EngineBench.TempDirectory("backup");
        using var key = EngineBench.NewPlatformKey();
        try
        {
            var engine = EngineBench.Open(directory, key, "batch");
            engine.Create("bench", EngineBench.Collection(dim), out _);
            var random = new Random(42);
            var ids = Enumerable.Range(0, points).Select(i => $"p{i}").ToArray();
            var vectors = ids.Select(_ => Enumerable.Range(0, dim).Select(_ => (float)random.NextDouble()).ToArray()).ToArray();
            Task.WaitAll([.. EngineBench.Batches(vectors[..(points * 9 / 10)], ids[..(points * 9 / 10)], 500).Select(b => engine.Get("bench").UpsertAsync(b))]);
            engine.DisposeAsync().AsTask().GetAwaiter().GetResult(); // checkpoints 90 %
            engine = EngineBench.Open(directory, key, "batch");
            Task.WaitAll([.. EngineBench.Batches(vectors[(points * 9 / 10)..], ids[(points * 9 / 10)..], 500).Select(b => engine.Get("bench").UpsertAsync(b))]);

            var clock = Stopwatch.StartNew();
            var snapshot = engine.CreateSnapshot(["bench"]);
            var snapshotSeconds = clock.Elapsed.TotalSeconds;
            var files = snapshot.Files.Concat(snapshot.Collections.SelectMany(c => c.Files)).ToList();
            var megabytes = files.Sum(f => f.Size) / 1e6;
            Console.WriteLine($"snapshot of {points} x {dim}-d: {megabytes:F1} MB in {snapshotSeconds:F2} s (link + SHA-256): {megabytes / snapshotSeconds:F0} MB/s, {points / snapshotSeconds:F0} points/s");

            clock.Restart();
            var restore = engine.CreateRestore();
            foreach (var file in files)
            {
                using var content = File.OpenRead(engine.SnapshotFile(snapshot.Id, file.Path));
                engine.StageRestoreFileAsync(restore, file.Path, content, file.Sha256, CancellationToken.None).GetAwaiter().GetResult();
            }

            var stageSeconds = clock.Elapsed.TotalSeconds;
            clock.Restart();
            var restored = engine.ApplyRestoreAsync(restore, null, new Dictionary<string, string> { ["bench"] = "copy" }, RestorePoint.End).GetAwaiter().GetResult();
            var applySeconds = clock.Elapsed.TotalSeconds;
            if (restored[0].Points != points)
            {
                throw new InvalidOperationException($"restored {restored[0].Points} points, expected {points}");
            }

            Console.WriteLine($"restore: staged {megabytes:F1} MB (hash-verified, fsynced) in {stageSeconds:F2} s ({megabytes / stageSeconds:F0} MB/s); " +
                $"applied (checkpoint load, replay of {points / 10} points, new checkpoint, switch) in {applySeconds:F2} s; " +
                $"total {megabytes / (stageSeconds + applySeconds):F0} MB/s, {points / (stageSeconds + applySeconds):F0} points/s");
            engine.ReleaseSnapshot(snapshot.Id);

            var steady = Write(engine, dim, seconds, "steady");
            var (p99Without, countWithout) = (P99(steady), steady.Count);
            var (p99With, countWith, taken) = SteadyWriterWithSnapshots(engine, dim, seconds);
            Console.WriteLine($"steady writer p99: {p99Without:F2} ms without snapshots ({countWithout} writes), {p99With:F2} ms with {taken} snapshots back to back ({countWith} writes)");
            var path = BenchmarkReport.Write(Name, json =>
            {
                json.WriteString("mode", Name);
                json.WriteNumber("points", points);
                json.WriteNumber("dimension", dim);
                json.WriteNumber("snapshot_mb_per_s", Math.Round(megabytes / snapshotSeconds, 1));
                json.WriteNumber("restore_mb_per_s", Math.Round(megabytes / (stageSeconds + applySeconds), 1));
                json.WriteNumber("restore_points_per_s", Math.Round(points / (stageSeconds + applySeconds)));
                json.WriteNumber("p99_ms_without_snapshots", Math.Round(p99Without, 3));
                json.WriteNumber("p99_ms_with_snapshots", Math.Round(p99With, 3));
            });
            Console.WriteLine($"wrote {path}");
            engine.DisposeAsync().AsTask().GetAwaiter().GetResult();
        }
        finally
        {
            Directory.Delete(directory, recursive: true);
        }

        return 0;
    }

    private static (double P99, int Count, int Snapshots) SteadyWriterWithSnapshots(VectorEngine engine, int dim, int seconds)
    {
        using var stop = new CancellationTokenSource();
        var taken = 0;
        var snapshotter = Task.Run(() =>
        {
            while (!stop.IsCancellationRequested)
            {
                engine.ReleaseSnapshot(engine.CreateSnapshot(["bench"]).Id);
                taken++;
            }
        });
        var latencies = Write(engine, dim, seconds, "during");
        stop.Cancel();
        snapshotter.GetAwaiter().GetResult();
        return (P99(latencies), latencies.Count, taken);
    }

    private static List<double> Write(VectorEngine engine, int dim, int seconds, string prefix)
    {
        var collection = engine.Get("bench");
        var random = new Random(7);
        var latencies = new List<double>();
        var run = Stopwatch.StartNew();
        for (var i = 0; run.Elapsed < TimeSpan.FromSeconds(seconds); i++)
        {
            var point = new NewPoint($"{prefix}{i % 1000}", [.. Enumerable.Range(0, dim).Select(_ => (float)random.NextDouble())]);
            var start = Stopwatch.GetTimestamp();
            collection.UpsertAsync(new UpsertPoints([point])).GetAwaiter().GetResult();
            latencies.Add(Stopwatch.GetElapsedTime(start).TotalMilliseconds);
        }

        return latencies;
    }

    private static double P99(List<double> values)
    {
        values.Sort();
        return values[(int)Math.Min(values.Count - 1, Math.Ceiling(values.Count * 0.99) - 1)];
    }
}
