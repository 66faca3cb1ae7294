using System.Globalization;

namespace Piramid.Benchmarks;

/// <summary>
/// Bulk ingest through the HTTP API on a running platform: the same points into an HNSW and a flat collection,
/// through the gateway and straight to the engine, with the CPU each process spent per point. The differences
/// say where the time goes: HNSW minus flat is graph linking; gateway minus direct is the gateway; the flat
/// collection's engine CPU is request parsing (JSON floats), validation, the log and its fsyncs.
/// </summary>
internal sealed class ApiIngestMode : IBenchmarkMode
{
    public string Name => "api-ingest";

    public string Usage => "[--state .piramid] [--points 100000] [--dimension 256] [--batch 500] [--writers 4] [--ef-construction 200] [--runs hnsw:gateway,flat:gateway,hnsw:direct,flat:direct]";

    public int Run(BenchmarkArgs args)
    {
        var state = args.GetString("state") ?? ".piramid";
        var points = args.GetInt("points", 100_000, min: 1);
        var dimension = args.GetInt("dimension", 256, min: 1);
        var batch = args.GetInt("batch", 500, min: 1);
        var writers = args.GetInt("writers", 4, min: 1);
        var efConstruction = args.GetInt("ef-construction", 200, min: 1);
        var runs = (args.GetString("runs") ?? "hnsw:gateway,flat:gateway,hnsw:direct,flat:direct").Split(',').Select(r => r.Split(':')).ToArray();
        args.ThrowIfUnused();
        return RunAsync(state, points, dimension, batch, writers, efConstruction, runs).GetAwaiter().GetResult();
    }

    private async Task<int> RunAsync(string state, int points, int dimension, int batch, int writers, int efConstruction, string[][] runs)
    {
        var bodies = ApiLoad.Bodies(points, dimension, batch);
        Console.WriteLine($"{points} x {dimension}-d points in batches of {batch} ({bodies.Average(b => b.Length) / 1024:F0} KB of JSON each), {writers} writers, ef_construction {efConstruction}");
        var rows = new List<(string Index, string Path, double Seconds, double Rate, Dictionary<string, double> Cpu)>();
        await using var tenant = await BenchTenant.CreateAsync(state);
        Console.WriteLine($"{"index",-6} {"path",-8} {"seconds",8} {"points/s",9}   CPU us per point ({string.Join(", ", tenant.Processes.Names)})");
        var n = 0;
        foreach (var run in runs)
        {
            var (index, path) = (run[0], run[1]);
            var name = $"ingest-{n++}";
            await ApiLoad.CreateAsync(tenant.Path(path), name, dimension, index, efConstruction);
            await tenant.Processes.WaitIdleAsync("engine", TimeSpan.FromSeconds(60));
            var before = tenant.Processes.Sample();
            var elapsed = await ApiLoad.SendAsync(tenant.Path(path), name, bodies, writers);
            var cpu = tenant.Processes.Sample().ToDictionary(p => p.Key, p => (p.Value - before[p.Key]).TotalMicroseconds / points);
            rows.Add((index, path, elapsed.TotalSeconds, points / elapsed.TotalSeconds, cpu));
            Console.WriteLine($"{index,-6} {path,-8} {elapsed.TotalSeconds,8:F2} {points / elapsed.TotalSeconds,9:F0}   {string.Join(", ", cpu.Values.Select(c => c.ToString("F0", CultureInfo.InvariantCulture)))}");

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
                json.WriteEndObject();
            }

            json.WriteEndArray();
        });
        Console.WriteLine($"wrote {written}");
        return 0;
    }
}
