using System.Diagnostics;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json.Nodes;
using Piramid.TestKit.Http;

namespace Piramid.Benchmarks;

/// <summary>
/// Gateway overhead on a running platform (<c>./piramid up</c>): the same small search sent straight to the
/// tenant's engine (signed with the engine secret, as the gateway does) and through the gateway (API key,
/// authentication from cache, rate limits, usage counting, signing, proxying). Reports p50/p99 latency and
/// requests per second for each concurrency. Creates a throw-away plan and tenant and deletes the tenant.
/// </summary>
internal sealed class GatewayMode : IBenchmarkMode
{
    public string Name => "gateway";

    public string Usage => "[--state .piramid] [--gateway-url URL] [--control-plane-url URL] [--seconds 10] [--rounds 4] [--concurrency 1,4] [--points 2000] [--dimension 64] [--index hnsw|flat] [--warmup 10] [--placement shared|split]";

    public int Run(BenchmarkArgs args)
    {
        var state = args.GetString("state") ?? ".piramid";
        var seconds = args.GetInt("seconds", 10, min: 1);
        var points = args.GetInt("points", 2_000, min: 500);
        var dimension = args.GetInt("dimension", 64, min: 1);
        var index = args.GetString("index") ?? "hnsw";
        // The engine is Native AOT; the gateway runs on the JIT, whose tiered compilation keeps compiling hot
        // methods for several seconds under load (a fifth of the gateway's CPU 5 s in, measured with perf).
        // Steady state is what a long-running gateway serves, so each run starts after this warm-up.
        var warmup = args.GetInt("warmup", 10, min: 0);
        var rounds = args.GetInt("rounds", 4, min: 1);
        // shared: the load generator, the gateway and the engine share every core, so the gateway's CPU is
        // taken from the engine. split: the engine gets the last core to itself on both paths and the other
        // two processes the rest, as when the gateway runs on machines of its own (docs/design/gateway.md).
        var placement = args.GetString("placement") ?? "shared";
        if (placement is not ("shared" or "split"))
        {
            throw new ArgumentException($"--placement must be shared or split, got '{placement}'.");
        }

        if (placement == "split" && Environment.ProcessorCount < 2)
        {
            throw new ArgumentException("--placement split needs at least two CPUs.");
        }

        if (index is not ("hnsw" or "flat"))
        {
            throw new ArgumentException($"--index must be hnsw or flat, got '{index}'.");
        }

        var concurrency = (args.GetString("concurrency") ?? "1,4").Split(',').Select(c => int.Parse(c, System.Globalization.CultureInfo.InvariantCulture)).ToArray();
        var gatewayUrl = new Uri(args.GetString("gateway-url") ?? LocalPlatform.PortUrl(state, "gateway"));
        var controlPlaneUrl = new Uri(args.GetString("control-plane-url") ?? LocalPlatform.PortUrl(state, "control-plane"));
        args.ThrowIfUnused();
        var credentials = JsonNode.Parse(File.ReadAllText(Path.Combine(state, "credentials.json")))!;
        return RunAsync(state, gatewayUrl, controlPlaneUrl, credentials, seconds, rounds, concurrency, points, dimension, index, warmup, placement).GetAwaiter().GetResult();
    }

    private async Task<int> RunAsync(string state, Uri gatewayUrl, Uri controlPlaneUrl, JsonNode credentials, int seconds, int rounds, int[] concurrency, int points, int dimension, string index, int warmup, string placement)
    {
        using var admin = new HttpClient { BaseAddress = controlPlaneUrl };
        admin.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer",
            await LocalPlatform.TokenAsync(controlPlaneUrl, credentials["operator_client_id"]!.GetValue<string>(), credentials["operator_client_secret"]!.GetValue<string>()));
        // Rate limits high enough never to refuse: this measures the path, not the plan.
        (await admin.PutAsJsonAsync("/v1/plans/benchmark", new
        {
            name = "benchmark",
            max_collections = 10,
            max_points = 1_000_000,
            max_storage_bytes = 10_000_000_000,
            max_dimension = 4096,
            read_rate_per_second = 10_000_000,
            read_burst = 10_000_000,
            write_rate_per_second = 10_000_000,
            write_burst = 10_000_000,
            monthly_read_units = 1_000_000_000_000,
            monthly_write_units = 1_000_000_000_000,
        })).EnsureSuccessStatusCode();
        var tenant = await (await admin.PostAsJsonAsync("/v1/tenants", new { name = $"bench-{Guid.NewGuid():N}"[..20], plan = "benchmark" })).EnsureSuccessStatusCode().Content.ReadFromJsonAsync<JsonObject>();
        var tenantId = tenant!["id"]!.GetValue<string>();
        try
        {
            var key = (await (await admin.PostAsJsonAsync($"/v1/tenants/{tenantId}/api-keys", new { name = "bench", role = "admin" })).EnsureSuccessStatusCode()
                .Content.ReadFromJsonAsync<JsonObject>())!["key"]!.GetValue<string>();
            using var viaGateway = new HttpClient(new SocketsHttpHandler()) { BaseAddress = gatewayUrl };
            viaGateway.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", key);
            await WaitRoutedAsync(viaGateway);

            var (endpoint, secret) = await RouteAsync(controlPlaneUrl, credentials, tenantId);
            using var direct = new HttpClient(new SigningHandler(secret, tenantId, "admin", "bench", null)) { BaseAddress = endpoint };
            var search = await LoadAsync(viaGateway, points, dimension, index);

            var processes = new ProcessCpu(new Dictionary<string, int?>
            {
                ["client"] = Environment.ProcessId,
                ["gateway"] = LocalPlatform.ReadPid(state, "gateway"),
                ["engine"] = ProcessCpu.FindByEnvironment("Engine__TenantId", tenantId),
            });
            // A fresh load leaves the engine busy for a while (checkpoint, compaction); measuring then would
            // charge that work to whichever path ran first.
            var settled = await processes.WaitIdleAsync("engine", TimeSpan.FromSeconds(120));
            using var cpus = new CpuPlacement();
            var where = placement == "split" ? Split(processes, cpus) : "all processes share every CPU";
            Console.WriteLine($"search: top_k 10 over {points} x {dimension}-d cosine points ({index} index); {seconds} s per path in {rounds} alternating rounds after {warmup} s warm-up; engine idle after load in {settled.TotalSeconds:F0} s; {where}");
            Console.WriteLine($"{"path",-8} {"clients",7} {"req/s",9} {"p50 ms",8} {"p99 ms",8}   CPU us per request ({string.Join(", ", processes.Names)})");
            var rows = new List<(string Path, int Clients, Result Result)>();
            foreach (var clients in concurrency)
            {
                // Both paths warm up, then take turns in short rounds, so a drift in the machine (another
                // process, a JIT recompilation, the kernel's placement) falls on both alike.
                await MeasureAsync(direct, search, clients, TimeSpan.FromSeconds(warmup), processes);
                await MeasureAsync(viaGateway, search, clients, TimeSpan.FromSeconds(warmup), processes);
                var slice = TimeSpan.FromSeconds((double)seconds / rounds);
                var directRounds = new List<Result>();
                var gatewayRounds = new List<Result>();
                for (var round = 0; round < rounds; round++)
                {
                    directRounds.Add(await MeasureAsync(direct, search, clients, slice, processes));
                    gatewayRounds.Add(await MeasureAsync(viaGateway, search, clients, slice, processes));
                }

                foreach (var (path, results) in new[] { ("direct", directRounds), ("gateway", gatewayRounds) })
                {
                    var result = Result.Combine(results);
                    rows.Add((path, clients, result));
                    Console.WriteLine($"{path,-8} {clients,7} {result.RequestsPerSecond,9:F0} {result.P50Ms,8:F3} {result.P99Ms,8:F3}   {string.Join(", ", result.CpuMicrosPerRequest.Select(c => c.Value.ToString("F0", System.Globalization.CultureInfo.InvariantCulture)))}");
                }
            }

            foreach (var clients in concurrency)
            {
                var d = rows.Single(r => r.Path == "direct" && r.Clients == clients).Result;
                var g = rows.Single(r => r.Path == "gateway" && r.Clients == clients).Result;
                Console.WriteLine($"{clients} client(s): gateway adds {g.P50Ms - d.P50Ms:F3} ms at p50, {g.P99Ms - d.P99Ms:F3} ms at p99; throughput {100 * g.RequestsPerSecond / d.RequestsPerSecond:F0}% of direct");
            }

            var written = BenchmarkReport.Write(Name, json =>
            {
                json.WriteString("mode", Name);
                json.WriteNumber("points", points);
                json.WriteNumber("dimension", dimension);
                json.WriteString("index", index);
                json.WriteNumber("seconds", seconds);
                json.WriteNumber("warmup_seconds", warmup);
                json.WriteNumber("rounds", rounds);
                json.WriteString("placement", placement);
                json.WriteStartArray("runs");
                foreach (var (p, clients, r) in rows)
                {
                    json.WriteStartObject();
                    json.WriteString("path", p);
                    json.WriteNumber("clients", clients);
                    json.WriteNumber("requests_per_second", Math.Round(r.RequestsPerSecond, 1));
                    json.WriteNumber("p50_ms", Math.Round(r.P50Ms, 3));
                    json.WriteNumber("p99_ms", Math.Round(r.P99Ms, 3));
                    json.WriteStartObject("cpu_us_per_request");
                    foreach (var (process, micros) in r.CpuMicrosPerRequest)
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
        finally
        {
            await admin.DeleteAsync(new Uri($"/v1/tenants/{tenantId}", UriKind.Relative));
        }
    }

    private static async Task<string> LoadAsync(HttpClient http, int count, int dimension, string index)
    {
        (await http.PutAsJsonAsync("/v1/collections/bench", new { dimension, metric = "cosine", index = new { type = index } })).EnsureSuccessStatusCode();
        var random = new Random(42);
        for (var batch = 0; batch < count / 500; batch++)
        {
            var points = Enumerable.Range(batch * 500, 500).Select(i => new
            {
                id = i.ToString(System.Globalization.CultureInfo.InvariantCulture),
                vector = Enumerable.Range(0, dimension).Select(_ => random.NextSingle() - 0.5f).ToArray(),
                metadata = new { group = i % 10 },
            });
            (await http.PostAsJsonAsync("/v1/collections/bench/points", new { points })).EnsureSuccessStatusCode();
        }

        var query = Enumerable.Range(0, dimension).Select(_ => random.NextSingle() - 0.5f).ToArray();
        return new JsonObject { ["vector"] = new JsonArray([.. query.Select(v => (JsonNode)v)]), ["top_k"] = 10 }.ToJsonString();
    }

    private static async Task<Result> MeasureAsync(HttpClient http, string search, int clients, TimeSpan duration, ProcessCpu processes)
    {
        var body = Encoding.UTF8.GetBytes(search);
        var latencies = new List<double>[clients];
        var cpuBefore = processes.Sample();
        var clock = Stopwatch.StartNew();
        await Task.WhenAll(Enumerable.Range(0, clients).Select(async worker =>
        {
            var mine = latencies[worker] = new List<double>(100_000);
            var buffer = new byte[64 * 1024];
            while (clock.Elapsed < duration)
            {
                var start = Stopwatch.GetTimestamp();
                using var content = new ByteArrayContent(body);
                content.Headers.ContentType = new MediaTypeHeaderValue("application/json");
                using var response = await http.PostAsync(new Uri("/v1/collections/bench/search", UriKind.Relative), content);
                await using (var stream = await response.Content.ReadAsStreamAsync())
                {
                    while (await stream.ReadAsync(buffer) > 0)
                    {
                    }
                }

                if (!response.IsSuccessStatusCode)
                {
                    throw new InvalidOperationException($"search answered {(int)response.StatusCode}");
                }

                mine.Add(Stopwatch.GetElapsedTime(start).TotalMilliseconds);
            }
        }));
        var elapsed = clock.Elapsed;
        var cpu = processes.Sample().ToDictionary(p => p.Key, p => p.Value - cpuBefore[p.Key]);
        return new Result([.. latencies.SelectMany(l => l)], elapsed, cpu);
    }

    /// <summary>Gives the engine the last CPU and the load generator and the gateway the others.</summary>
    private static string Split(ProcessCpu processes, CpuPlacement cpus)
    {
        if (!processes.Pids.ContainsKey("engine") || !processes.Pids.ContainsKey("gateway"))
        {
            throw new InvalidOperationException("--placement split needs the gateway's and the engine's processes on this machine.");
        }

        var last = Environment.ProcessorCount - 1;
        var rest = Enumerable.Range(0, last).ToArray();
        foreach (var (name, pid) in processes.Pids)
        {
            cpus.Pin(pid, name == "engine" ? [last] : rest);
        }

        return $"engine on CPU {last}, load generator and gateway on CPU {string.Join(',', rest)}";
    }

    private static async Task WaitRoutedAsync(HttpClient http)
    {
        for (var attempt = 0; attempt < 300; attempt++)
        {
            using var response = await http.GetAsync(new Uri("/v1/collections", UriKind.Relative));
            if (response.IsSuccessStatusCode)
            {
                return;
            }

            await Task.Delay(100);
        }

        throw new InvalidOperationException("the benchmark tenant was never routed by the gateway");
    }

    private static async Task<(Uri Endpoint, byte[] Secret)> RouteAsync(Uri controlPlaneUrl, JsonNode credentials, string tenantId)
    {
        using var http = new HttpClient { BaseAddress = controlPlaneUrl };
        http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer",
            await LocalPlatform.TokenAsync(controlPlaneUrl, credentials["gateway_client_id"]!.GetValue<string>(), credentials["gateway_client_secret"]!.GetValue<string>()));
        var table = await http.GetFromJsonAsync<JsonObject>("/internal/v1/routes");
        var route = table!["routes"]!.AsArray().Single(r => r!["tenant_id"]!.GetValue<string>() == tenantId)!;
        return (new Uri(route["endpoint"]!.GetValue<string>()), Convert.FromBase64String(route["engine_secret"]!.GetValue<string>()));
    }

    /// <summary>Latencies of one or more measured slices, their wall time, and the CPU each process spent.</summary>
    private sealed record Result(double[] LatenciesMs, TimeSpan Elapsed, IReadOnlyDictionary<string, TimeSpan> Cpu)
    {
        public double RequestsPerSecond => LatenciesMs.Length / Elapsed.TotalSeconds;

        public double P50Ms => Percentile(0.50);

        public double P99Ms => Percentile(0.99);

        public IEnumerable<KeyValuePair<string, double>> CpuMicrosPerRequest =>
            Cpu.Select(c => KeyValuePair.Create(c.Key, c.Value.TotalMicroseconds / Math.Max(1, LatenciesMs.Length)));

        public static Result Combine(IReadOnlyList<Result> slices) => new(
            [.. slices.SelectMany(s => s.LatenciesMs).Order()],
            TimeSpan.FromTicks(slices.Sum(s => s.Elapsed.Ticks)),
            slices[0].Cpu.Keys.ToDictionary(k => k, k => TimeSpan.FromTicks(slices.Sum(s => s.Cpu[k].Ticks))));

        // Expects sorted latencies (Combine sorts them).
        private double Percentile(double q) => LatenciesMs[Math.Min(LatenciesMs.Length - 1, (int)(LatenciesMs.Length * q))];
    }
}
