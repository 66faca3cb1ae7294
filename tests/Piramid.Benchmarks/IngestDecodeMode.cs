using System.Text.Json;
using Piramid.Contracts.Json;
using Piramid.Contracts.Points;

namespace Piramid.Benchmarks;

/// <summary>
/// What an upsert body costs to parse, per point, with vectors as JSON arrays and as <c>vector_b64</c>: the same
/// points (the api-ingest benchmark's bodies) deserialized into the wire type on one thread, alternating rounds.
/// The engine's own reader is source-generated over the same built-in converters (float arrays, base64 bytes).
/// </summary>
internal sealed class IngestDecodeMode : IBenchmarkMode
{
    public string Name => "ingest-decode";

    public string Usage => "[--points 20000] [--dimension 256] [--batch 500] [--rounds 5]";

    public int Run(BenchmarkArgs args)
    {
        var points = args.GetInt("points", 20_000, min: 1);
        var dimension = args.GetInt("dimension", 256, min: 1);
        var batch = args.GetInt("batch", 500, min: 1);
        var rounds = args.GetInt("rounds", 5, min: 1);
        args.ThrowIfUnused();

        var options = new JsonSerializerOptions(WireJson.Options) { UnmappedMemberHandling = WireJson.ServerUnmappedMembers };
        var encodings = new (string Name, List<byte[]> Bodies)[]
        {
            ("json", ApiLoad.Bodies(points, dimension, batch)),
            ("b64", ApiLoad.Bodies(points, dimension, batch, base64: true)),
        };
        foreach (var (name, bodies) in encodings)
        {
            Console.WriteLine($"{name}: {bodies.Average(b => b.Length) / batch:F0} bytes per point");
        }

        var results = encodings.ToDictionary(e => e.Name, _ => new List<double>());
        for (var round = 0; round <= rounds; round++)
        {
            foreach (var (name, bodies) in encodings)
            {
                var cpu = Environment.CpuUsage.TotalTime;
                var values = 0L;
                foreach (var body in bodies)
                {
                    var request = JsonSerializer.Deserialize<UpsertPointsRequest>(body, options)!;
                    values += request.Points!.Sum(p => (long)(p.Vector?.Length ?? p.VectorB64!.Length / sizeof(float)));
                }

                var micros = (Environment.CpuUsage.TotalTime - cpu).TotalMicroseconds / points;
                if (values != (long)points * dimension)
                {
                    throw new InvalidOperationException($"{name}: decoded {values} values, expected {(long)points * dimension}");
                }

                // Round 0 warms the JIT up and is not counted.
                if (round > 0)
                {
                    results[name].Add(micros);
                    Console.WriteLine($"round {round} {name,-5} {micros,7:F1} us CPU per point");
                }
            }
        }

        foreach (var (name, runs) in results)
        {
            var sorted = runs.Order().ToArray();
            Console.WriteLine($"median {name,-5} {sorted[sorted.Length / 2],7:F1} us CPU per point (min {sorted[0]:F1}, max {sorted[^1]:F1})");
        }

        var path = BenchmarkReport.Write(Name, json =>
        {
            json.WriteString("mode", Name);
            json.WriteNumber("points", points);
            json.WriteNumber("dimension", dimension);
            json.WriteStartObject("cpu_us_per_point_median");
            foreach (var (name, runs) in results)
            {
                json.WriteNumber(name, Math.Round(runs.Order().ElementAt(runs.Count / 2), 1));
            }

            json.WriteEndObject();
        });
        Console.WriteLine($"wrote {path}");
        return 0;
    }
}
