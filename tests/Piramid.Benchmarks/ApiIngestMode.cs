using System.Diagnostics;
using System.Globalization;
using System.Text.RegularExpressions;

namespace Piramid.Benchmarks;

/// <summary>
/// Bulk ingest through the HTTP API on a running platform: the same points into an HNSW and a flat collection,
/// through the gateway and straight to the engine, with the CPU each process spent per point. The differences
/// say where the time goes: HNSW minus flat is graph linking; gateway minus direct is the gateway; the flat
/// collection's engine CPU is request parsing (JSON floats), validation, the log and its fsyncs. Graph links are made
/// behind the acknowledgement, so each run reports both: acknowledged points/s, and the time until the engine's
/// unlinked tail (its <c>piramid.engine.index.unlinked</c> gauge) is empty, with the CPU per point up to then.
/// </summary>
internal sealed class ApiIngestMode : IBenchmarkMode
{
    public string Name => "api-ingest";

    public string Usage => "[--state .piramid] [--points 100000] [--dimension 256] [--batch 500] [--writers 4] [--ef-construction 200] [--runs hnsw:gateway,flat:gateway,hnsw:direct,flat:direct] (a run may end in :b64 to send vector_b64 instead of JSON arrays) [--wait-linked true]";

    public int Run(BenchmarkArgs args)
    {
        var state = args.GetString("state") ?? ".piramid";
        var points = args.GetInt("points", 100_000, min: 1);
        var dimension = args.GetInt("dimension", 256, min: 1);
        var batch = args.GetInt("batch", 500, min: 1);
        var writers = args.GetInt("writers", 4, min: 1);
        var efConstruction = args.GetInt("ef-construction", 200, min: 1);
        // false: measure acceptance only, without waiting for the graph (on a loaded machine linking takes minutes).
        var waitLinked = (args.GetString("wait-linked") ?? "true") != "false";
        var runs = (args.GetString("runs") ?? "hnsw:gateway,flat:gateway,hnsw:direct,flat:direct").Split(',').Select(r => r.Split(':')).ToArray();
        args.ThrowIfUnused();
        return RunAsync(state, points, dimension, batch, writers, efConstruction, runs, waitLinked).GetAwaiter().GetResult();
    }

    private async Task<int> RunAsync(string state, int points, int dimension, int batch, int writers, int efConstruction, string[][] runs, bool waitLinked)
    {
        var bodies = ApiLoad.Bodies(points, dimension, batch);
        var base64Bodies = runs.Any(r => r is [_, _, "b64"]) ? ApiLoad.Bodies(points, dimension, batch, base64: true) : [];
        Console.WriteLine($"{points} x {dimension}-d points in batches of {batch} ({bodies.Average(b => b.Length) / 1024:F0} KB of JSON each" +
            (base64Bodies.Count > 0 ? $", {base64Bodies.Average(b => b.Length) / 1024:F0} KB with vector_b64" : string.Empty) + $"), {writers} writers, ef_construction {efConstruction}");
        var rows = new List<(string Index, string Path, double Seconds, double Rate, Dictionary<string, double> Cpu, long UnlinkedAtAck, double LinkedSeconds, Dictionary<string, double> LinkedCpu)>();
        await using var tenant = await BenchTenant.CreateAsync(state);
        Console.WriteLine($"{"index",-6} {"path",-12} {"seconds",8} {"points/s",9}   CPU us per point ({string.Join(", ", tenant.Processes.Names)})");
        var n = 0;
        foreach (var run in runs)
        {
            var (index, path, base64) = (run[0], run[1], run is [_, _, "b64"]);
            var name = $"ingest-{n++}";
            await ApiLoad.CreateAsync(tenant.Path(path), name, dimension, index, efConstruction);
            await tenant.Processes.WaitIdleAsync("engine", TimeSpan.FromSeconds(60));
            var before = tenant.Processes.Sample();
            var started = Stopwatch.GetTimestamp();
            var elapsed = await ApiLoad.SendAsync(tenant.Path(path), name, base64 ? base64Bodies : bodies, writers);
            var cpu = tenant.Processes.Sample().ToDictionary(p => p.Key, p => (p.Value - before[p.Key]).TotalMicroseconds / points);

            // Acknowledged is not linked (docs/design/ingest.md): the graph is whole once the engine's tail is empty.
            var unlinkedAtAck = await UnlinkedAsync(tenant.Direct, name);
            while (waitLinked && await UnlinkedAsync(tenant.Direct, name) > 0)
            {
                await Task.Delay(100);
            }

            var linked = Stopwatch.GetElapsedTime(started);
            var linkedCpu = tenant.Processes.Sample().ToDictionary(p => p.Key, p => (p.Value - before[p.Key]).TotalMicroseconds / points);
            rows.Add((index, base64 ? path + ":b64" : path, elapsed.TotalSeconds, points / elapsed.TotalSeconds, cpu, unlinkedAtAck, linked.TotalSeconds, linkedCpu));
            Console.WriteLine($"{index,-6} {(base64 ? path + ":b64" : path),-12} {elapsed.TotalSeconds,8:F2} {points / elapsed.TotalSeconds,9:F0}   {Format(cpu)}   " +
                $"unlinked at ack {unlinkedAtAck}, linked after {linked.TotalSeconds:F2} s, CPU us per point to linked {Format(linkedCpu)}");

            // The next run starts on an idle engine, not on this one's checkpoint or compaction.
            using var delete = await tenant.Path(path).DeleteAsync(new Uri($"/v1/collections/{name}", UriKind.Relative));
        }

        var written = BenchmarkReport.Write(Name, json =>
        {
            json.WriteString("mode", Name);
            json.WriteNumber("points", points);
            json.WriteNumber("dimension", dimension);
            json.WriteNumber("batch", batch);
            json.WriteNumber("writers", writers);
            json.WriteNumber("ef_construction", efConstruction);
            json.WriteStartArray("runs");
            foreach (var r in rows)
            {
                json.WriteStartObject();
                json.WriteString("index", r.Index);
                json.WriteString("path", r.Path);
                json.WriteNumber("seconds", Math.Round(r.Seconds, 2));
                json.WriteNumber("points_per_second", Math.Round(r.Rate));
                json.WriteStartObject("cpu_us_per_point");
                foreach (var (process, micros) in r.Cpu)
                {
                    json.WriteNumber(process, Math.Round(micros, 1));
                }

                json.WriteEndObject();
                json.WriteNumber("unlinked_at_ack", r.UnlinkedAtAck);
                json.WriteNumber("linked_seconds", Math.Round(r.LinkedSeconds, 2));
                json.WriteStartObject("cpu_us_per_point_to_linked");
                foreach (var (process, micros) in r.LinkedCpu)
                {
                    json.WriteNumber(process, Math.Round(micros, 1));
                }

                json.WriteEndObject();
                json.WriteEndObject();
            }

            json.WriteEndArray();
        });
        Console.WriteLine($"wrote {written}");
        return 0;
    }

    private static string Format(Dictionary<string, double> cpu) =>
        string.Join(", ", cpu.Values.Select(c => c.ToString("F0", CultureInfo.InvariantCulture)));

    // The engine's gauge of points acknowledged and not yet linked, read from its metrics (0 for a flat collection).
    private static async Task<long> UnlinkedAsync(HttpClient direct, string collection)
    {
        var text = await direct.GetStringAsync(new Uri("/metrics", UriKind.Relative));
        var match = Regex.Match(text, $"^piramid_engine_index_unlinked\\S*\\{{[^}}]*collection=\"{Regex.Escape(collection)}\"[^}}]*\\}} (\\d+)", RegexOptions.Multiline);
        return match.Success ? long.Parse(match.Groups[1].Value, CultureInfo.InvariantCulture) : 0;
    }
}
