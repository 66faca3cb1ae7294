using System.Diagnostics;
using System.Globalization;
using System.Net.Http.Headers;
using System.Text;

namespace Piramid.Benchmarks;

/// <summary>
/// Filtered search through the gateway on a running platform: 1% of the points match <c>{"bucket": 7}</c>, a
/// field no schema declares, against the same search unfiltered, on a collection that indexes undeclared fields
/// (the default) and on one that opted out (<c>"auto_index": false</c>). Serial searches (one client), in
/// alternating rounds so a drift of the machine falls on every variant; p50 and p99 of each.
/// </summary>
internal sealed class ApiFilterMode : IBenchmarkMode
{
    public string Name => "api-filter";

    public string Usage => "[--state .piramid] [--points 100000] [--dimension 256] [--rounds 4] [--queries 200] [--ef-construction 200] [--tenant <id of a tenant an earlier run loaded>]";

    public int Run(BenchmarkArgs args)
    {
        var state = args.GetString("state") ?? ".piramid";
        var points = args.GetInt("points", 100_000, min: 1000);
        var dimension = args.GetInt("dimension", 256, min: 1);
        var rounds = args.GetInt("rounds", 4, min: 1);
        var queries = args.GetInt("queries", 200, min: 1);
        var efConstruction = args.GetInt("ef-construction", 200, min: 1);
        var existing = args.GetString("tenant");
        args.ThrowIfUnused();
        return RunAsync(state, points, dimension, rounds, queries, efConstruction, existing).GetAwaiter().GetResult();
    }

    private async Task<int> RunAsync(string state, int points, int dimension, int rounds, int queries, int efConstruction, string? existing)
    {
        // Loading 100,000 points takes minutes on a loaded machine; a tenant an earlier run loaded is reused as is.
        await using var tenant = await BenchTenant.CreateAsync(state, existing);
        var bodies = existing is null ? ApiLoad.Bodies(points, dimension, 500) : [];
        foreach (var (name, auto) in existing is null ? new[] { ("auto", true), ("off", false) } : [])
        {
            await ApiLoad.CreateAsync(tenant.Direct, name, dimension, "hnsw", efConstruction, auto);
            var load = await ApiLoad.SendAsync(tenant.Direct, name, bodies, writers: 2);
            Console.WriteLine($"loaded {points} x {dimension}-d into '{name}' (auto_index {auto}) in {load.TotalSeconds:F0} s");
        }

        var settled = await tenant.Processes.WaitIdleAsync("engine", TimeSpan.FromSeconds(180));
        Console.WriteLine($"engine idle after {settled.TotalSeconds:F0} s; {rounds} alternating rounds of {queries} serial searches per variant through the gateway, top_k 10");
        var random = new Random(5);
        var vectors = Enumerable.Range(0, queries).Select(_ => Enumerable.Range(0, dimension).Select(_ => (random.NextSingle() - 0.5f).ToString("R", CultureInfo.InvariantCulture))).Select(v => string.Join(',', v)).ToArray();
        (string Label, string Collection, string Filter)[] variants =
        [
            ("unfiltered", "auto", string.Empty),
            ("1% undeclared, auto_index", "auto", ",\"filter\":{\"bucket\":7}"),
            ("1% undeclared, opted out", "off", ",\"filter\":{\"bucket\":7}"),
        ];
        var latencies = variants.Select(_ => new List<double>()).ToArray();
        foreach (var v in variants)
        {
            // Warm-up: the gateway's JIT and the engine's caches.
            await SearchAsync(tenant.ViaGateway, v.Collection, vectors, v.Filter, new List<double>());
        }

        for (var round = 0; round < rounds; round++)
        {
            for (var i = 0; i < variants.Length; i++)
            {
                await SearchAsync(tenant.ViaGateway, variants[i].Collection, vectors, variants[i].Filter, latencies[i]);
            }
        }

        Console.WriteLine($"{"variant",-28} {"p50 ms",8} {"p99 ms",8}");
        for (var i = 0; i < variants.Length; i++)
        {
            latencies[i].Sort();
            Console.WriteLine($"{variants[i].Label,-28} {Percentile(latencies[i], 0.5),8:F3} {Percentile(latencies[i], 0.99),8:F3}");
        }

        var written = BenchmarkReport.Write(Name, json =>
        {
            json.WriteString("mode", Name);
            json.WriteNumber("points", points);
            json.WriteNumber("dimension", dimension);
            json.WriteNumber("rounds", rounds);
            json.WriteNumber("queries", queries);
            json.WriteStartArray("variants");
            for (var i = 0; i < variants.Length; i++)
            {
                json.WriteStartObject();
                json.WriteString("variant", variants[i].Label);
                json.WriteNumber("p50_ms", Math.Round(Percentile(latencies[i], 0.5), 3));
                json.WriteNumber("p99_ms", Math.Round(Percentile(latencies[i], 0.99), 3));
                json.WriteEndObject();
            }

            json.WriteEndArray();
        });
        Console.WriteLine($"wrote {written}");
        return 0;
    }

    private static async Task SearchAsync(HttpClient http, string collection, string[] vectors, string filter, List<double> latencies)
    {
        foreach (var vector in vectors)
        {
            var body = Encoding.UTF8.GetBytes($"{{\"vector\":[{vector}],\"top_k\":10{filter}}}");
            var start = Stopwatch.GetTimestamp();
            using var content = new ByteArrayContent(body);
            content.Headers.ContentType = new MediaTypeHeaderValue("application/json");
            using var response = await http.PostAsync(new Uri($"/v1/collections/{collection}/search", UriKind.Relative), content);
            var text = await response.Content.ReadAsStringAsync();
            latencies.Add(Stopwatch.GetElapsedTime(start).TotalMilliseconds);
            if (!response.IsSuccessStatusCode || !text.Contains("\"id\"", StringComparison.Ordinal))
            {
                throw new InvalidOperationException($"search answered {(int)response.StatusCode}: {text[..Math.Min(300, text.Length)]}");
            }
        }
    }

    private static double Percentile(List<double> sorted, double q) => sorted[Math.Min(sorted.Count - 1, (int)(sorted.Count * q))];
}
