using System.Diagnostics;
using System.Security.Cryptography;
using System.Text.Json;
using Piramid.Engine;
using Piramid.Engine.Collections;
using Piramid.Engine.Commands;
using Piramid.Engine.Crypto;
using Piramid.Engine.Queries;
using Piramid.Engine.Storage;
using Piramid.KeyWrapping;
using Piramid.TestKit.Processes;

namespace Piramid.Benchmarks;

/// <summary>
/// Where a wake's time goes (issue 22, fast start): builds one HNSW collection of <c>--points</c> seeded random
/// vectors with a small metadata object each, checkpoints it, writes <c>--wal-points</c> more into the log, and copies
/// the directory while the engine runs (the image a hibernation leaves, log after the checkpoint included). Then, per
/// run and in process: reading the checkpoint file, reading + decrypting it, decoding each stage
/// (<see cref="CheckpointLoadProfile"/>), a whole engine open (WAL replay is the difference) and the first search;
/// with <c>--process</c>, also the Native AOT engine's launch to ready and to its first search answer. Each run loads
/// the same collection from a version 3 checkpoint (the format before fast start, written by
/// <see cref="CheckpointCodec.EncodeVersion3"/>) and from today's, alternately, so both see the same machine load. The
/// page cache is warm, as it is for a tenant that hibernated recently.
/// </summary>
internal sealed class LoadMode : IBenchmarkMode
{
    private const string Collection = "bench";

    public string Name => "load";

    public string Usage => "[--points 100000] [--dimension 256] [--quantization none|int8] [--wal-points 1000] [--ef-construction 64] [--metadata 1|0] [--v3 1|0] [--runs 5] [--process 0|1]";

    public int Run(BenchmarkArgs args)
    {
        var points = args.GetInt("points", 100_000, min: 1);
        var dimension = args.GetInt("dimension", 256, min: 1);
        var quantization = args.GetString("quantization") ?? "none";
        var walPoints = args.GetInt("wal-points", 1000, min: 0);
        var efConstruction = args.GetInt("ef-construction", 64, min: 4);
        var runs = args.GetInt("runs", 5, min: 1);
        var process = args.GetInt("process", 0, min: 0) == 1;
        // The density mode's points carry no metadata; --metadata 0 loads the same shape.
        var metadata = args.GetInt("metadata", 1, min: 0) == 1;
        var withVersion3 = args.GetInt("v3", 1, min: 0) == 1;
        args.ThrowIfUnused();

        var platformKeyText = Convert.ToBase64String(RandomNumberGenerator.GetBytes(32));
        using var key = PlatformKey.FromBase64(platformKeyText);
        var source = EngineBench.TempDirectory("load-src");
        var image = EngineBench.TempDirectory("load-img");
        var oldImage = EngineBench.TempDirectory("load-img3");
        try
        {
            var random = new Random(20261206);
            var build = Stopwatch.StartNew();
            var engine = EngineBench.Open(source, key, "none");
            engine.Create(Collection, new CreateCollection(dimension, "cosine", new IndexSpec("hnsw", EfConstruction: efConstruction), quantization == "none" ? null : quantization), out _);
            var collection = engine.Get(Collection);
            Write(collection, random, 0, points, dimension, metadata);
            // A tenant idle for its hibernation period has long finished linking, so its checkpoint holds the whole graph.
            // Without this wait most points were still in the unlinked tail: the graph load measured a fraction of the
            // graph, the open queued the rest for linking, and the first answer depended on the linker's progress.
            while (collection.UnlinkedPoints > 0)
            {
                Thread.Sleep(50);
            }

            collection.Checkpoint(force: true);
            Write(collection, random, points, walPoints, dimension, metadata);
            Console.WriteLine($"built {points} × {dimension}-d HNSW ({quantization}, ef_construction {efConstruction}) + {walPoints} in the log in {build.Elapsed.TotalSeconds:F1} s");
            CopyDirectory(source, image);
            var query = RandomVector(random, dimension);
            while (collection.UnlinkedPoints > 0)
            {
                Thread.Sleep(50); // the log's points too, so that the expected answer is the graph's
            }

            var expected = collection.Search(new SearchQuery { Vector = query, TopK = 10 });
            engine.DisposeAsync().AsTask().GetAwaiter().GetResult();

            if (withVersion3)
            {
                CopyDirectory(image, oldImage);
                RewriteAsVersion3(oldImage, key);
            }

            var stages = new Dictionary<string, List<double>>(StringComparer.Ordinal);
            for (var run = 0; run < runs; run++)
            {
                foreach (var (label, directory) in withVersion3 ? new[] { ("v3", oldImage), ("v4", image) } : [("v4", image)])
                {
                    Profile(label, run, directory, key, query, expected, stages);
                    if (process)
                    {
                        ProfileProcess(label, directory, platformKeyText, query, stages);
                    }
                }
            }

            Console.WriteLine($"median over {runs} runs (ms):");
            foreach (var (stage, times) in stages)
            {
                times.Sort();
                Console.WriteLine($"  {stage,-44} {times[times.Count / 2],9:F1}   (min {times[0]:F1}, max {times[^1]:F1})");
            }

            var path = BenchmarkReport.Write($"{Name}-{points}-{quantization}", json =>
            {
                json.WriteString("mode", Name);
                json.WriteNumber("points", points);
                json.WriteNumber("dimension", dimension);
                json.WriteString("quantization", quantization);
                json.WriteBoolean("metadata", metadata);
                json.WriteNumber("runs", runs);
                json.WriteStartObject("median_ms");
                foreach (var (stage, times) in stages)
                {
                    json.WriteNumber(stage, Math.Round(times[times.Count / 2], 1));
                }

                json.WriteEndObject();
            });
            Console.WriteLine($"wrote {path}");
            return 0;
        }
        finally
        {
            Directory.Delete(source, recursive: true);
            Directory.Delete(image, recursive: true);
            Directory.Delete(oldImage, recursive: true);
        }
    }

    // Replaces the image's checkpoint by the same content in version 3, as the engine wrote it before version 4.
    private static void RewriteAsVersion3(string image, PlatformKey key)
    {
        using var dataKey = DataKeyStore.OpenOrCreate(image, key);
        var collectionDirectory = Directory.GetDirectories(Path.Combine(image, "collections")).Single();
        var checkpointDirectory = Path.Combine(collectionDirectory, "checkpoints");
        using var checkpoint = CheckpointStore.LoadNewest(checkpointDirectory, dataKey) ?? throw new InvalidOperationException("no checkpoint");
        var store = new PointStore(CollectionManifest.Read(collectionDirectory, dataKey));
        var idempotency = CheckpointCodec.Decode(checkpoint, store);
        File.Delete(checkpoint.Path);
        CheckpointStore.Write(checkpointDirectory, dataKey, checkpoint.Lsn, CheckpointCodec.EncodeVersion3(store, idempotency));
    }

    private static void Profile(string label, int run, string image, PlatformKey key, float[] query, IReadOnlyList<ScoredPoint> expected, Dictionary<string, List<double>> stages)
    {
        var collectionDirectory = Directory.GetDirectories(Path.Combine(image, "collections")).Single();
        var checkpointDirectory = Path.Combine(collectionDirectory, "checkpoints");
        var checkpointFile = Directory.GetFiles(checkpointDirectory, "*.ckpt").Single();
        Add(stages, $"{label} checkpoint size (MiB)", new FileInfo(checkpointFile).Length / 1048576.0);
        var clock = Stopwatch.StartNew();
        var bytes = File.ReadAllBytes(checkpointFile);
        Note(stages, $"{label} read the file", clock);
        GC.KeepAlive(bytes);

        using var dataKey = DataKeyStore.OpenOrCreate(image, key);
        // The mapped reader (checks the records' checksums; the decode decrypts the chunks one at a time) against the
        // reader of version 1 (the whole file into one array, then every record framed and decrypted into a new array),
        // on the same file, in turn, the first of the two alternating between runs.
        var readers = new CheckpointLoadProfile();
        CheckpointData? checkpoint = null;
        foreach (var streaming in run % 2 == 0 ? new[] { true, false } : [false, true])
        {
            var started = Stopwatch.GetTimestamp();
            if (streaming)
            {
                checkpoint = CheckpointStore.LoadNewest(checkpointDirectory, dataKey) ?? throw new InvalidOperationException("no checkpoint");
                readers.Add("map + frame + checksums (CheckpointStore; decryption is in the decode)", started);
            }
            else
            {
                GC.KeepAlive(RecordScanner.ReadAll(checkpointFile, File.ReadAllBytes(checkpointFile), dataKey, FileKind.Checkpoint));
                readers.Add("read whole file + scan (the reader before)", started);
            }
        }

        foreach (var (stage, time) in readers.Stages)
        {
            Add(stages, $"{label} {stage}", time.TotalMilliseconds);
        }

        foreach (var (stage, time) in readers.CpuStages)
        {
            Add(stages, $"{label} thread CPU: {stage}", time.TotalMilliseconds);
        }

        var config = CollectionManifest.Read(collectionDirectory, dataKey);
        clock.Restart();
        var store = new PointStore(config);
        var profile = new CheckpointLoadProfile();
        CheckpointCodec.Decode(checkpoint!, store, profile);
        checkpoint!.Dispose();
        Note(stages, $"{label} decode, total", clock);
        foreach (var (stage, time) in profile.Stages)
        {
            Add(stages, $"{label}   decode: {stage}", time.TotalMilliseconds);
        }

        foreach (var (stage, time) in profile.CpuStages)
        {
            Add(stages, $"{label}   decode, thread CPU: {stage}", time.TotalMilliseconds);
        }

        // The whole in-process open on a copy (the open may write: a checkpoint at close).
        var copy = EngineBench.TempDirectory("load-run");
        try
        {
            CopyDirectory(image, copy);
            var openProfile = new CheckpointLoadProfile();
            clock.Restart();
            var engine = VectorEngine.Open(new EngineOptions { DataDirectory = copy, Durability = DurabilityPolicy.Parse("batch"), OpenProfile = openProfile }, key);
            Note(stages, $"{label} engine open (checkpoint + WAL replay + rest)", clock);
            foreach (var (stage, time) in openProfile.Stages)
            {
                Add(stages, $"{label}   open: {stage}", time.TotalMilliseconds);
            }

            foreach (var (stage, time) in openProfile.CpuStages)
            {
                Add(stages, $"{label}   open, thread CPU: {stage}", time.TotalMilliseconds);
            }

            clock.Restart();
            var answer = engine.Get(Collection).Search(new SearchQuery { Vector = query, TopK = 10 });
            Note(stages, $"{label} first search", clock);
            // A load no longer orders the ids; the first scroll does (PointStore.OrderedIds): its cost moved here.
            engine.Get(Collection).Scroll(new ScrollQuery { Limit = 10 });
            Note(stages, $"{label} first scroll (orders the ids)", clock);
            if (!answer.Select(p => (p.Id, p.Score)).SequenceEqual(expected.Select(p => (p.Id, p.Score))))
            {
                throw new InvalidOperationException("the loaded collection answers differently from the one saved");
            }

            engine.DisposeAsync().AsTask().GetAwaiter().GetResult();
        }
        finally
        {
            Directory.Delete(copy, recursive: true);
        }
    }

    private static void ProfileProcess(string label, string image, string platformKey, float[] query, Dictionary<string, List<double>> stages)
    {
        var copy = EngineBench.TempDirectory("load-proc");
        try
        {
            CopyDirectory(image, copy);
            var options = new EngineProcessOptions
            {
                DataDirectory = copy,
                PlatformKey = platformKey,
                EngineSecret = Convert.ToBase64String(RandomNumberGenerator.GetBytes(32)),
            };
            var clock = Stopwatch.StartNew();
            var engine = EngineProcess.StartAsync(options).GetAwaiter().GetResult();
            Note(stages, $"{label} process: launch to ready (25 ms polls)", clock);
            using (var http = engine.CreateClient())
            using (var body = new StringContent(JsonSerializer.Serialize(new { vector = query, top_k = 10 }), System.Text.Encoding.UTF8, "application/json"))
            {
                http.PostAsync(new Uri($"/v1/collections/{Collection}/search", UriKind.Relative), body).GetAwaiter().GetResult().EnsureSuccessStatusCode();
            }

            Note(stages, $"{label} process: ready to first answer", clock);
            engine.StopAsync().GetAwaiter().GetResult();
            engine.DisposeAsync().AsTask().GetAwaiter().GetResult();
        }
        finally
        {
            Directory.Delete(copy, recursive: true);
            // The engine's key file lies beside its data directory (EngineProcess.WriteKeyFile): it holds the data key.
            var keys = Path.TrimEndingDirectorySeparator(Path.GetFullPath(copy)) + ".keys";
            if (Directory.Exists(keys))
            {
                Directory.Delete(keys, recursive: true);
            }
            else
            {
                File.Delete(keys);
            }
        }
    }

    private static void Write(Collection collection, Random random, int first, int count, int dimension, bool withMetadata)
    {
        for (var start = first; start < first + count; start += 1000)
        {
            var batch = new List<NewPoint?>();
            for (var i = start; i < Math.Min(start + 1000, first + count); i++)
            {
                var metadata = withMetadata ? JsonDocument.Parse($$"""{"group":"g{{i % 17}}","row":{{i}}}""").RootElement.Clone() : default;
                batch.Add(new NewPoint($"p{i}", RandomVector(random, dimension), metadata));
            }

            collection.UpsertAsync(new UpsertPoints(batch)).GetAwaiter().GetResult();
        }
    }

    private static float[] RandomVector(Random random, int dimension)
    {
        var vector = new float[dimension];
        for (var d = 0; d < dimension; d++)
        {
            vector[d] = (float)((random.NextDouble() * 2) - 1);
        }

        return vector;
    }

    private static void Note(Dictionary<string, List<double>> stages, string stage, Stopwatch clock)
    {
        Add(stages, stage, clock.Elapsed.TotalMilliseconds);
        clock.Restart();
    }

    private static void Add(Dictionary<string, List<double>> stages, string stage, double milliseconds)
    {
        if (!stages.TryGetValue(stage, out var times))
        {
            stages[stage] = times = [];
        }

        times.Add(milliseconds);
    }

    // A hibernated engine's files were fsynced when it stopped; a fresh copy's dirty pages would otherwise be
    // written out by the open's first fsync (the WAL's new segment) and counted as the open's time.
    private static void CopyDirectory(string from, string to)
    {
        CopyFiles(from, to);
        foreach (var file in Directory.EnumerateFiles(to, "*", SearchOption.AllDirectories))
        {
            using var handle = File.OpenHandle(file, FileMode.Open, FileAccess.ReadWrite);
            RandomAccess.FlushToDisk(handle);
        }
    }

    private static void CopyFiles(string from, string to)
    {
        foreach (var directory in Directory.EnumerateDirectories(from, "*", SearchOption.AllDirectories))
        {
            Directory.CreateDirectory(directory.Replace(from, to, StringComparison.Ordinal));
        }

        foreach (var file in Directory.EnumerateFiles(from, "*", SearchOption.AllDirectories))
        {
            if (!file.EndsWith(".lock", StringComparison.Ordinal))
            {
                File.Copy(file, file.Replace(from, to, StringComparison.Ordinal), overwrite: true);
            }
        }
    }
}
