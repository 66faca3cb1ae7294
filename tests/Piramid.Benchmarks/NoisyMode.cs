using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json.Nodes;

namespace Piramid.Benchmarks;

/// <summary>
/// Noisy neighbour on a running platform (<c>./piramid up</c>): a victim tenant's searches through the gateway,
/// alone and while a noisy tenant floods the gateway with heavy batch searches (exact, large <c>top_k</c>) from
/// many clients. The two phases alternate in rounds, so a drift of the machine falls on both. Reports the
/// victim's p50/p99 and throughput per phase, the noisy tenant's throughput and its 429s (requests in flight
/// beyond <c>Gateway:MaxConcurrentRequestsPerTenant</c>). Creates two throw-away tenants and deletes them.
/// </summary>
internal sealed class NoisyMode : IBenchmarkMode
{
    private const string Collection = "bench";

    public string Name => "noisy";

    public string Usage => "[--state .piramid] [--gateway-url URL] [--control-plane-url URL] [--points 20000] [--dimension 256] [--victim-clients 2] [--noisy-clients 128] [--noisy-batch 4] [--noisy-top-k 250] [--seconds 20] [--rounds 4] [--warmup 5]";

    public int Run(BenchmarkArgs args)
    {
        var state = args.GetString("state") ?? ".piramid";
        var points = args.GetInt("points", 20_000, min: 500);
        var dimension = args.GetInt("dimension", 256, min: 1);
        var victimClients = args.GetInt("victim-clients", 2, min: 1);
        var noisyClients = args.GetInt("noisy-clients", 128, min: 1);
        var noisyBatch = args.GetInt("noisy-batch", 4, min: 1);
        var noisyTopK = args.GetInt("noisy-top-k", 250, min: 1);
        var seconds = args.GetInt("seconds", 20, min: 1);
        var rounds = args.GetInt("rounds", 4, min: 1);
        var warmup = args.GetInt("warmup", 5, min: 0);
        if (noisyBatch > 100 || noisyBatch * noisyTopK > 10_000)
        {
            throw new ArgumentException("--noisy-batch must be at most 100 and --noisy-batch x --noisy-top-k at most 10000 (the batch limits in docs/API.md).");
        }

        var gatewayUrl = new Uri(args.GetString("gateway-url") ?? LocalPlatform.PortUrl(state, "gateway"));
        var controlPlaneUrl = new Uri(args.GetString("control-plane-url") ?? LocalPlatform.PortUrl(state, "control-plane"));
        args.ThrowIfUnused();
        var credentials = JsonNode.Parse(File.ReadAllText(Path.Combine(state, "credentials.json")))!;
        var settings = new Settings(points, dimension, victimClients, noisyClients, noisyBatch, noisyTopK, seconds, rounds, warmup);
        return RunAsync(state, gatewayUrl, controlPlaneUrl, credentials, settings).GetAwaiter().GetResult();
    }

    private async Task<int> RunAsync(string state, Uri gatewayUrl, Uri controlPlaneUrl, JsonNode credentials, Settings s)
    {
        using var admin = new HttpClient { BaseAddress = controlPlaneUrl };
        admin.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer",
            await LocalPlatform.TokenAsync(controlPlaneUrl, credentials["operator_client_id"]!.GetValue<string>(), credentials["operator_client_secret"]!.GetValue<string>()));
        // Rate limits high enough never to refuse: the only bound left on the noisy tenant is the gateway's
        // requests-in-flight limit, which is what this measures.
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
        var tenantIds = new List<string>();
        try
        {
            using var victim = await TenantClientAsync(admin, gatewayUrl, "victim", tenantIds);
            using var noisy = await TenantClientAsync(admin, gatewayUrl, "noisy", tenantIds);
            // The victim searches a graph, as a latency-sensitive tenant would; the noisy tenant scans every
            // point of a flat collection for each of its batch's searches.
            var victimSearch = await LoadAsync(victim, s.Points, s.Dimension, "hnsw", seed: 1);
            var noisyQuery = await LoadAsync(noisy, s.Points, s.Dimension, "flat", seed: 2);
            var victimBody = Encoding.UTF8.GetBytes(victimSearch.ToJsonString());
            noisyQuery["top_k"] = s.NoisyTopK;
            var noisyBody = Encoding.UTF8.GetBytes(new JsonObject
            {
                ["searches"] = new JsonArray([.. Enumerable.Range(0, s.NoisyBatch).Select(_ => (JsonNode)noisyQuery.DeepClone())]),
            }.ToJsonString());

            var processes = new ProcessCpu(new Dictionary<string, int?>
            {
                ["client"] = Environment.ProcessId,
                ["gateway"] = LocalPlatform.ReadPid(state, "gateway"),
                ["victim-engine"] = ProcessCpu.FindByEnvironment("Engine__TenantId", tenantIds[0]),
                ["noisy-engine"] = ProcessCpu.FindByEnvironment("Engine__TenantId", tenantIds[1]),
            });
            // A fresh load leaves an engine busy for a while (checkpoint, compaction); measuring then would
            // charge that work to whichever phase ran first.
            var settled = TimeSpan.Zero;
            foreach (var engine in new[] { "victim-engine", "noisy-engine" }.Where(processes.Pids.ContainsKey))
            {
                settled += await processes.WaitIdleAsync(engine, TimeSpan.FromSeconds(120));
            }

            Console.WriteLine($"victim: {s.VictimClients} client(s) of top_k 10 searches over {s.Points} x {s.Dimension}-d cosine points (hnsw); " +
                $"noisy: {s.NoisyClients} clients of batches of {s.NoisyBatch} exact searches with top_k {s.NoisyTopK} over {s.Points} x {s.Dimension}-d (flat), " +
                $"retrying a 429 at once; {s.Seconds} s per phase in {s.Rounds} alternating rounds after {s.Warmup} s warm-up of each; engines idle after load in {settled.TotalSeconds:F0} s");

            await MeasureAsync(victim, victimBody, noisy: null, noisyBody, s, TimeSpan.FromSeconds(s.Warmup), processes);
            await MeasureAsync(victim, victimBody, noisy, noisyBody, s, TimeSpan.FromSeconds(s.Warmup), processes);
            var slice = TimeSpan.FromSeconds((double)s.Seconds / s.Rounds);
            var alone = new List<Result>();
            var withNoise = new List<Result>();
            for (var round = 0; round < s.Rounds; round++)
            {
                alone.Add(await MeasureAsync(victim, victimBody, noisy: null, noisyBody, s, slice, processes));
                withNoise.Add(await MeasureAsync(victim, victimBody, noisy, noisyBody, s, slice, processes));
            }

            var rows = new[] { ("alone", Result.Combine(alone)), ("noisy", Result.Combine(withNoise)) };
            Console.WriteLine($"{"phase",-6} {"victim req/s",12} {"p50 ms",8} {"p99 ms",8} {"errors",6} {"noisy ok/s",10} {"noisy 429/s",11}   CPU s per second ({string.Join(", ", processes.Names)})");
            foreach (var (phase, r) in rows)
            {
                Console.WriteLine($"{phase,-6} {r.VictimPerSecond,12:F0} {r.P50Ms,8:F3} {r.P99Ms,8:F3} {r.VictimErrors,6} {r.NoisyOkPerSecond,10:F1} {r.NoisyRefusedPerSecond,11:F0}   " +
                    string.Join(", ", r.CpuPerSecond.Select(c => c.Value.ToString("F2", CultureInfo.InvariantCulture))));
            }

            var (a, n) = (rows[0].Item2, rows[1].Item2);
            Console.WriteLine($"under the noisy neighbour the victim's p50 is {n.P50Ms / a.P50Ms:F2}x and its p99 {n.P99Ms / a.P99Ms:F2}x alone; " +
                $"its throughput {100 * n.VictimPerSecond / a.VictimPerSecond:F0}% of alone; noisy: {n.NoisyOk} batches answered, {n.NoisyRefused} refused with 429");

            var written = BenchmarkReport.Write(Name, json =>
            {
                json.WriteString("mode", Name);
                json.WriteNumber("points", s.Points);
                json.WriteNumber("dimension", s.Dimension);
                json.WriteNumber("victim_clients", s.VictimClients);
                json.WriteNumber("noisy_clients", s.NoisyClients);
                json.WriteNumber("noisy_batch", s.NoisyBatch);
                json.WriteNumber("noisy_top_k", s.NoisyTopK);
                json.WriteNumber("seconds", s.Seconds);
                json.WriteNumber("rounds", s.Rounds);
                json.WriteNumber("warmup_seconds", s.Warmup);
                json.WriteNumber("processor_count", Environment.ProcessorCount);
                json.WriteStartArray("phases");
                foreach (var (phase, r) in rows)
                {
                    json.WriteStartObject();
                    json.WriteString("phase", phase);
                    json.WriteNumber("victim_requests_per_second", Math.Round(r.VictimPerSecond, 1));
                    json.WriteNumber("victim_p50_ms", Math.Round(r.P50Ms, 3));
                    json.WriteNumber("victim_p99_ms", Math.Round(r.P99Ms, 3));
                    json.WriteNumber("victim_errors", r.VictimErrors);
                    json.WriteNumber("noisy_ok", r.NoisyOk);
                    json.WriteNumber("noisy_429", r.NoisyRefused);
                    json.WriteNumber("noisy_ok_per_second", Math.Round(r.NoisyOkPerSecond, 1));
                    json.WriteStartObject("cpu_seconds_per_second");
                    foreach (var (process, value) in r.CpuPerSecond)
                    {
                        json.WriteNumber(process, Math.Round(value, 3));
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
            foreach (var id in tenantIds)
            {
                await admin.DeleteAsync(new Uri($"/v1/tenants/{id}", UriKind.Relative));
            }
        }
    }

    /// <summary>
    /// The victim's clients search for <paramref name="duration"/>; with <paramref name="noisy"/>, the noisy
    /// tenant's clients run from before the victim starts (each has had an answer) until it stops.
    /// </summary>
    private static async Task<Result> MeasureAsync(HttpClient victim, byte[] victimBody, HttpClient? noisy, byte[] noisyBody, Settings s, TimeSpan duration, ProcessCpu processes)
    {
        using var stopNoise = new CancellationTokenSource();
        var counts = new NoiseCounts();
        var noiseRunning = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var noise = noisy is null
            ? Task.CompletedTask
            : Task.WhenAll(Enumerable.Range(0, s.NoisyClients).Select(_ => NoiseAsync(noisy, noisyBody, counts, s.NoisyClients, noiseRunning, stopNoise.Token)));
        if (noisy is not null)
        {
            // Measure the victim under the full load, not while the noisy clients are still connecting.
            await Task.WhenAny(noiseRunning.Task, noise);
        }

        var (okBefore, refusedBefore) = counts.Read();
        var cpuBefore = processes.Sample();
        var latencies = new List<double>[s.VictimClients];
        var errors = 0;
        var clock = Stopwatch.StartNew();
        await Task.WhenAll(Enumerable.Range(0, s.VictimClients).Select(async worker =>
        {
            var mine = latencies[worker] = new List<double>(100_000);
            while (clock.Elapsed < duration)
            {
                var start = Stopwatch.GetTimestamp();
                var status = await SendAsync(victim, "/v1/collections/bench/search", victimBody, CancellationToken.None);
                if (status == HttpStatusCode.OK)
                {
                    mine.Add(Stopwatch.GetElapsedTime(start).TotalMilliseconds);
                }
                else
                {
                    Interlocked.Increment(ref errors);
                }
            }
        }));
        var elapsed = clock.Elapsed;
        var cpu = processes.Sample().ToDictionary(p => p.Key, p => p.Value - cpuBefore[p.Key]);
        var (okAfter, refusedAfter) = counts.Read();
        await stopNoise.CancelAsync();
        await noise;
        return new Result([.. latencies.SelectMany(l => l)], errors, okAfter - okBefore, refusedAfter - refusedBefore, elapsed, cpu);
    }

    // A noisy client that ignores Retry-After: the worst case for the gateway, which must refuse it cheaply.
    private static async Task NoiseAsync(HttpClient noisy, byte[] body, NoiseCounts counts, int clients, TaskCompletionSource running, CancellationToken stop)
    {
        var first = true;
        while (!stop.IsCancellationRequested)
        {
            HttpStatusCode status;
            try
            {
                status = await SendAsync(noisy, "/v1/collections/bench/search/batch", body, stop);
            }
            catch (OperationCanceledException) when (stop.IsCancellationRequested)
            {
                return;
            }

            if (status == HttpStatusCode.OK)
            {
                counts.AddOk();
            }
            else if (status == HttpStatusCode.TooManyRequests)
            {
                counts.AddRefused();
            }
            else
            {
                throw new InvalidOperationException($"the noisy tenant's batch search answered {(int)status}");
            }

            if (first && counts.AddStarted(clients))
            {
                running.TrySetResult();
            }

            first = false;
        }
    }

    private static async Task<HttpStatusCode> SendAsync(HttpClient http, string path, byte[] body, CancellationToken cancel)
    {
        using var content = new ByteArrayContent(body);
        content.Headers.ContentType = new MediaTypeHeaderValue("application/json");
        using var response = await http.PostAsync(new Uri(path, UriKind.Relative), content, cancel);
        // Read the whole answer, as a client would: the request holds its slot until it is sent whole.
        await using var stream = await response.Content.ReadAsStreamAsync(cancel);
        await stream.CopyToAsync(Stream.Null, cancel);
        return response.StatusCode;
    }

    private static async Task<HttpClient> TenantClientAsync(HttpClient admin, Uri gatewayUrl, string role, List<string> tenantIds)
    {
        var tenant = await (await admin.PostAsJsonAsync("/v1/tenants", new { name = $"{role}-{Guid.NewGuid():N}"[..20], plan = "benchmark" }))
            .EnsureSuccessStatusCode().Content.ReadFromJsonAsync<JsonObject>();
        var tenantId = tenant!["id"]!.GetValue<string>();
        tenantIds.Add(tenantId);
        var key = (await (await admin.PostAsJsonAsync($"/v1/tenants/{tenantId}/api-keys", new { name = "bench", role = "admin" })).EnsureSuccessStatusCode()
            .Content.ReadFromJsonAsync<JsonObject>())!["key"]!.GetValue<string>();
        var http = new HttpClient(new SocketsHttpHandler()) { BaseAddress = gatewayUrl, Timeout = TimeSpan.FromMinutes(2) };
        http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", key);
        return http;
    }

    private static async Task<JsonObject> LoadAsync(HttpClient http, int count, int dimension, string index, int seed)
    {
        (await http.PutAsJsonAsync($"/v1/collections/{Collection}", new { dimension, metric = "cosine", index = new { type = index } })).EnsureSuccessStatusCode();
        var random = new Random(seed);
        const int batchSize = 500;
        for (var first = 0; first < count; first += batchSize)
        {
            var points = Enumerable.Range(first, Math.Min(batchSize, count - first)).Select(i => new
            {
                id = i.ToString(CultureInfo.InvariantCulture),
                vector = Enumerable.Range(0, dimension).Select(_ => random.NextSingle() - 0.5f).ToArray(),
                metadata = new { group = i % 10 },
            });
            (await http.PostAsJsonAsync($"/v1/collections/{Collection}/points", new { points })).EnsureSuccessStatusCode();
        }

        var query = Enumerable.Range(0, dimension).Select(_ => random.NextSingle() - 0.5f).ToArray();
        return new JsonObject { ["vector"] = new JsonArray([.. query.Select(v => (JsonNode)v)]), ["top_k"] = 10 };
    }

    private sealed record Settings(int Points, int Dimension, int VictimClients, int NoisyClients, int NoisyBatch, int NoisyTopK, int Seconds, int Rounds, int Warmup);

    private sealed class NoiseCounts
    {
        private long _ok;
        private long _refused;
        private int _started;

        public void AddOk() => Interlocked.Increment(ref _ok);

        public void AddRefused() => Interlocked.Increment(ref _refused);

        /// <summary>Counts a client's first answer; true for the last client's.</summary>
        public bool AddStarted(int clients) => Interlocked.Increment(ref _started) == clients;

        public (long Ok, long Refused) Read() => (Interlocked.Read(ref _ok), Interlocked.Read(ref _refused));
    }

    /// <summary>The victim's latencies of one or more slices, the noisy tenant's answers in them, and CPU per process.</summary>
    private sealed record Result(double[] LatenciesMs, int VictimErrors, long NoisyOk, long NoisyRefused, TimeSpan Elapsed, IReadOnlyDictionary<string, TimeSpan> Cpu)
    {
        public double VictimPerSecond => LatenciesMs.Length / Elapsed.TotalSeconds;

        public double NoisyOkPerSecond => NoisyOk / Elapsed.TotalSeconds;

        public double NoisyRefusedPerSecond => NoisyRefused / Elapsed.TotalSeconds;

        public double P50Ms => Percentile(0.50);

        public double P99Ms => Percentile(0.99);

        public IEnumerable<KeyValuePair<string, double>> CpuPerSecond =>
            Cpu.Select(c => KeyValuePair.Create(c.Key, c.Value.TotalSeconds / Elapsed.TotalSeconds));

        public static Result Combine(IReadOnlyList<Result> slices) => new(
            [.. slices.SelectMany(s => s.LatenciesMs).Order()],
            slices.Sum(s => s.VictimErrors),
            slices.Sum(s => s.NoisyOk),
            slices.Sum(s => s.NoisyRefused),
            TimeSpan.FromTicks(slices.Sum(s => s.Elapsed.Ticks)),
            slices[0].Cpu.Keys.ToDictionary(k => k, k => TimeSpan.FromTicks(slices.Sum(s => s.Cpu[k].Ticks))));

        // Expects sorted latencies (Combine sorts them).
        private double Percentile(double q) => LatenciesMs.Length == 0 ? double.NaN : LatenciesMs[Math.Min(LatenciesMs.Length - 1, (int)(LatenciesMs.Length * q))];
    }
}
