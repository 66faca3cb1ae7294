using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;

namespace Piramid.Benchmarks;

/// <summary>
/// Scale to zero on a running platform (<c>./piramid up</c>), docs/design/hibernation.md: N tenants with small HNSW
/// collections on a plan that hibernates them after <c>--idle-seconds</c>; once all hibernate, a share of them is kept
/// busy by a search load and the others are woken one at a time in random order through the gateway (the time to the
/// first answer is the wake latency). Then one large tenant (<c>--large-points</c>) hibernates and is woken
/// <c>--wakes</c> times. Reports the platform's memory per idle tenant (RSS of the control plane and the gateway with
/// the tenants hibernated, against before they existed), the RSS of a running engine, wake latency p50/p99 per size,
/// and how many tenants one machine of <c>--machine-gb</c> holds with <c>--active-share</c> % of them running.
/// Creates throw-away tenants and deletes them.
/// </summary>
internal sealed class DensityMode : IBenchmarkMode
{
    private const string Collection = "bench";

    public string Name => "density";

    public string Usage => "[--state .piramid] [--tenants 20] [--points 10000] [--large-points 100000] [--dimension 256] [--idle-seconds 10] [--wakes 5] [--active-share 10] [--load-clients 2] [--machine-gb 24]";

    public int Run(BenchmarkArgs args)
    {
        var state = args.GetString("state") ?? ".piramid";
        var s = new Settings(
            Tenants: args.GetInt("tenants", 20, min: 2),
            Points: args.GetInt("points", 10_000, min: 1),
            LargePoints: args.GetInt("large-points", 100_000, min: 0),
            Dimension: args.GetInt("dimension", 256, min: 1),
            IdleSeconds: args.GetInt("idle-seconds", 10, min: 1),
            Wakes: args.GetInt("wakes", 5, min: 1),
            ActiveSharePercent: args.GetInt("active-share", 10, min: 1),
            LoadClients: args.GetInt("load-clients", 2, min: 1),
            MachineGb: args.GetInt("machine-gb", 24, min: 1));
        args.ThrowIfUnused();
        return RunAsync(state, s).GetAwaiter().GetResult();
    }

    private async Task<int> RunAsync(string state, Settings s)
    {
        var gatewayUrl = new Uri(LocalPlatform.PortUrl(state, "gateway"));
        var controlPlaneUrl = new Uri(LocalPlatform.PortUrl(state, "control-plane"));
        using var admin = await LocalPlatform.OperatorAsync(controlPlaneUrl, LocalPlatform.Credentials(state), TimeSpan.FromMinutes(5));
        (await admin.PutAsJsonAsync("/v1/plans/density", new
        {
            name = "density",
            max_collections = 10,
            max_points = 10_000_000,
            max_storage_bytes = 100_000_000_000,
            max_dimension = 4096,
            read_rate_per_second = 10_000_000,
            read_burst = 10_000_000,
            write_rate_per_second = 10_000_000,
            write_burst = 10_000_000,
            monthly_read_units = 1_000_000_000_000,
            monthly_write_units = 1_000_000_000_000,
            engine_memory_bytes = 8L << 30,
            hibernate_after_seconds = s.IdleSeconds,
        })).EnsureSuccessStatusCode();

        var platformPids = new[] { LocalPlatform.ReadPid(state, "control-plane"), LocalPlatform.ReadPid(state, "gateway") }.OfType<int>().ToArray();
        var tenants = new List<Tenant>();
        try
        {
            var baseline = PlatformRss(platformPids);
            Console.WriteLine($"platform RSS before: {baseline / 1024.0 / 1024:F1} MiB; creating {s.Tenants} tenants of {s.Points} x {s.Dimension}");
            var random = new Random(42);
            var query = RandomVector(random, s.Dimension);
            using (var parallel = new SemaphoreSlim(4))
            {
                tenants.AddRange(await Task.WhenAll(Enumerable.Range(0, s.Tenants).Select(async i =>
                {
                    await parallel.WaitAsync();
                    try
                    {
                        var tenant = await CreateTenantAsync(admin, gatewayUrl, $"density-{i}");
                        await LoadAsync(tenant.Client, s.Points, s.Dimension, seed: i);
                        return tenant;
                    }
                    finally
                    {
                        parallel.Release();
                    }
                })));
            }

            var runningRss = tenants.Select(t => EngineRss(t.Id)).Where(r => r > 0).ToList();
            var runningPlatform = PlatformRss(platformPids);
            Console.WriteLine($"running engine RSS: mean {runningRss.Average() / 1024.0 / 1024:F1} MiB over {runningRss.Count}");
            await Task.WhenAll(tenants.Select(t => WaitHibernatedAsync(admin, t.Id)));
            var idlePlatform = PlatformRss(platformPids);
            var idlePerTenant = (idlePlatform - baseline) / (double)s.Tenants;
            Console.WriteLine($"all {s.Tenants} hibernated: platform RSS {idlePlatform / 1024.0 / 1024:F1} MiB, {idlePerTenant / 1024:F1} KiB per idle tenant");

            // A share stays busy (woken first by the load), the rest wake one at a time in random order under it.
            var activeCount = Math.Max(1, s.Tenants * s.ActiveSharePercent / 100);
            var order = tenants.OrderBy(_ => random.Next()).ToList();
            var active = order.Take(activeCount).ToList();
            using var stopLoad = new CancellationTokenSource();
            var loadAnswers = 0L;
            var loadErrors = 0L;
            var load = Enumerable.Range(0, s.LoadClients * activeCount).Select(c => Task.Run(async () =>
            {
                var client = active[c % active.Count].Client;
                while (!stopLoad.IsCancellationRequested)
                {
                    using var r = await client.PostAsJsonAsync($"/v1/collections/{Collection}/search", new { vector = query, top_k = 10 });
                    Interlocked.Increment(ref r.StatusCode == HttpStatusCode.OK ? ref loadAnswers : ref loadErrors);
                }
            })).ToList();
            var smallWakes = new List<double>();
            foreach (var tenant in order.Skip(activeCount))
            {
                smallWakes.Add(await FirstAnswerMsAsync(tenant.Client, query));
            }

            await stopLoad.CancelAsync();
            await Task.WhenAll(load);
            Console.WriteLine($"wakes of {s.Points} x {s.Dimension}: {Describe(smallWakes)}; load {loadAnswers} answers, {loadErrors} errors");

            var largeWakes = new List<double>();
            long largeRss = 0;
            long checkpointBytes = 0;
            if (s.LargePoints > 0)
            {
                var large = await CreateTenantAsync(admin, gatewayUrl, "density-large");
                tenants.Add(large);
                var loading = Stopwatch.StartNew();
                await LoadAsync(large.Client, s.LargePoints, s.Dimension, seed: 1000);
                Console.WriteLine($"loaded {s.LargePoints} x {s.Dimension} in {loading.Elapsed.TotalSeconds:F0} s");
                await WaitLinkedAsync(large.Client, large.Id, query);
                Console.WriteLine($"linked after {loading.Elapsed.TotalSeconds:F0} s");
                for (var w = 0; w < s.Wakes; w++)
                {
                    await WaitHibernatedAsync(admin, large.Id);
                    largeWakes.Add(await FirstAnswerMsAsync(large.Client, query));
                    largeRss = Math.Max(largeRss, EngineRss(large.Id));
                    Console.WriteLine($"  wake {w + 1}: {largeWakes[^1]:F0} ms");
                }

                Console.WriteLine($"wakes of {s.LargePoints} x {s.Dimension}: {Describe(largeWakes)}; engine RSS {largeRss / 1024.0 / 1024:F1} MiB");
                checkpointBytes = CheckpointBytes(large.Id);
            }

            // What decryption at rest costs a start: AES-256-GCM over the checkpoint's size, on this machine.
            var decryptMs = DecryptMs(Math.Max(checkpointBytes, 64L << 20));
            var decryptGbPerSecond = Math.Max(checkpointBytes, 64L << 20) / (decryptMs / 1000) / 1e9;
            Console.WriteLine($"checkpoint {checkpointBytes / 1024.0 / 1024:F1} MiB; AES-256-GCM decrypt {decryptGbPerSecond:F2} GB/s ({decryptMs:F0} ms for it)");

            // Tenants per machine: running ones cost an engine's RSS, idle ones what the platform holds for them.
            var share = s.ActiveSharePercent / 100.0;
            var perTenant = share * runningRss.Average() + (1 - share) * Math.Max(idlePerTenant, 0);
            var machine = (double)s.MachineGb * 1024 * 1024 * 1024;
            var fits = (long)(machine / perTenant);
            Console.WriteLine($"tenants per {s.MachineGb} GB at {s.ActiveSharePercent} % active: {fits} ({perTenant / 1024 / 1024:F2} MiB per tenant on average)");

            var written = BenchmarkReport.Write(Name, json =>
            {
                json.WriteNumber("tenants", s.Tenants);
                json.WriteNumber("points", s.Points);
                json.WriteNumber("dimension", s.Dimension);
                json.WriteNumber("idle_seconds", s.IdleSeconds);
                json.WriteNumber("platform_rss_before_bytes", baseline);
                json.WriteNumber("platform_rss_running_bytes", runningPlatform);
                json.WriteNumber("platform_rss_hibernated_bytes", idlePlatform);
                json.WriteNumber("idle_tenant_bytes", idlePerTenant);
                json.WriteNumber("running_engine_rss_mean_bytes", runningRss.Average());
                json.WriteNumber("small_wakes", smallWakes.Count);
                json.WriteNumber("small_wake_p50_ms", Percentile(smallWakes, 0.5));
                json.WriteNumber("small_wake_p99_ms", Percentile(smallWakes, 0.99));
                json.WriteNumber("load_answers", loadAnswers);
                json.WriteNumber("load_errors", loadErrors);
                json.WriteNumber("large_points", s.LargePoints);
                if (largeWakes.Count > 0)
                {
                    json.WriteNumber("large_wake_p50_ms", Percentile(largeWakes, 0.5));
                    json.WriteNumber("large_wake_p99_ms", Percentile(largeWakes, 0.99));
                    json.WriteNumber("large_engine_rss_bytes", largeRss);
                }

                json.WriteNumber("checkpoint_bytes", checkpointBytes);
                json.WriteNumber("aes_gcm_decrypt_gb_per_second", decryptGbPerSecond);
                json.WriteNumber("active_share_percent", s.ActiveSharePercent);
                json.WriteNumber("machine_gb", s.MachineGb);
                json.WriteNumber("tenants_per_machine", fits);
            });
            Console.WriteLine($"wrote {written}");
            return 0;
        }
        finally
        {
            foreach (var tenant in tenants)
            {
                tenant.Client.Dispose();
                await admin.DeleteAsync(new Uri($"/v1/tenants/{tenant.Id}", UriKind.Relative));
            }
        }
    }

    // A tenant idle for its hibernation period has long finished linking: the large tenant is kept awake (a search
    // through the gateway each second) until its engine reports no unlinked point, so each wake loads the whole graph.
    private static async Task WaitLinkedAsync(HttpClient client, string tenantId, float[] query)
    {
        var deadline = DateTime.UtcNow + TimeSpan.FromMinutes(15);
        using var direct = new HttpClient();
        while (true)
        {
            using (var r = await client.PostAsJsonAsync($"/v1/collections/{Collection}/search", new { vector = query, top_k = 10 }))
            {
                r.EnsureSuccessStatusCode();
            }

            if (ProcessCpu.FindByEnvironment("Engine__TenantId", tenantId) is { } pid
                && File.ReadAllText($"/proc/{pid}/environ").Split('\0').FirstOrDefault(v => v.StartsWith("ASPNETCORE_URLS=", StringComparison.Ordinal)) is { } urls)
            {
                var metrics = await direct.GetStringAsync(new Uri(new Uri(urls["ASPNETCORE_URLS=".Length..].Split(';')[0]), "/metrics"));
                var match = Regex.Match(metrics, $"^piramid_engine_index_unlinked\\{{[^}}]*collection=\"{Collection}\"[^}}]*\\}} (\\d+)", RegexOptions.Multiline);
                if (match.Success && match.Groups[1].Value == "0")
                {
                    return;
                }
            }

            if (DateTime.UtcNow > deadline)
            {
                throw new TimeoutException($"tenant {tenantId} did not link its points");
            }

            await Task.Delay(1000);
        }
    }

    private static async Task<double> FirstAnswerMsAsync(HttpClient client, float[] query)
    {
        var clock = Stopwatch.StartNew();
        using var response = await client.PostAsJsonAsync($"/v1/collections/{Collection}/search", new { vector = query, top_k = 10 });
        var elapsed = clock.Elapsed.TotalMilliseconds;
        if (response.StatusCode != HttpStatusCode.OK)
        {
            throw new InvalidOperationException($"a wake answered {(int)response.StatusCode}: {await response.Content.ReadAsStringAsync()}");
        }

        return elapsed;
    }

    private static async Task WaitHibernatedAsync(HttpClient admin, string tenantId)
    {
        var deadline = DateTime.UtcNow.AddMinutes(10);
        while (true)
        {
            var tenant = await admin.GetFromJsonAsync<JsonObject>($"/v1/tenants/{tenantId}");
            if (tenant!["engine_state"]?.GetValue<string>() == "hibernating" && ProcessCpu.FindByEnvironment("Engine__TenantId", tenantId) is null)
            {
                return;
            }

            if (DateTime.UtcNow > deadline)
            {
                throw new TimeoutException($"tenant {tenantId} did not hibernate");
            }

            await Task.Delay(200);
        }
    }

    private static async Task<Tenant> CreateTenantAsync(HttpClient admin, Uri gatewayUrl, string name)
    {
        var tenant = await (await admin.PostAsJsonAsync("/v1/tenants", new { name = $"{name}-{Guid.NewGuid():N}"[..24], plan = "density" }))
            .EnsureSuccessStatusCode().Content.ReadFromJsonAsync<JsonObject>();
        var tenantId = tenant!["id"]!.GetValue<string>();
        var key = (await (await admin.PostAsJsonAsync($"/v1/tenants/{tenantId}/api-keys", new { name = "bench", role = "admin" })).EnsureSuccessStatusCode()
            .Content.ReadFromJsonAsync<JsonObject>())!["key"]!.GetValue<string>();
        var http = new HttpClient(new SocketsHttpHandler()) { BaseAddress = gatewayUrl, Timeout = TimeSpan.FromMinutes(5) };
        http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", key);
        return new Tenant(tenantId, http);
    }

    private static async Task LoadAsync(HttpClient http, int count, int dimension, int seed)
    {
        (await http.PutAsJsonAsync($"/v1/collections/{Collection}", new { dimension, metric = "cosine", index = new { type = "hnsw" } })).EnsureSuccessStatusCode();
        var random = new Random(seed);
        const int batchSize = 1000;
        for (var first = 0; first < count; first += batchSize)
        {
            var points = Enumerable.Range(first, Math.Min(batchSize, count - first))
                .Select(i => new { id = i.ToString(CultureInfo.InvariantCulture), vector = RandomVector(random, dimension) });
            // A tenant may hibernate between batches when --idle-seconds is below the gateway's activity report
            // interval: the write is refused with a retryable 503 and sent again, as a client would.
            for (var attempt = 0; ; attempt++)
            {
                using var response = await http.PostAsJsonAsync($"/v1/collections/{Collection}/points", new { points });
                if (response.StatusCode != HttpStatusCode.ServiceUnavailable || attempt == 10)
                {
                    response.EnsureSuccessStatusCode();
                    break;
                }
            }
        }
    }

    // The newest checkpoint of the tenant's engine (found through its running process's data directory).
    private static long CheckpointBytes(string tenantId)
    {
        if (ProcessCpu.FindByEnvironment("Engine__TenantId", tenantId) is not { } pid)
        {
            return 0;
        }

        var directory = File.ReadAllText($"/proc/{pid}/environ").Split('\0')
            .FirstOrDefault(v => v.StartsWith("Engine__DataDirectory=", StringComparison.Ordinal))?["Engine__DataDirectory=".Length..];
        return directory is null ? 0 : Directory.EnumerateFiles(directory, "*.ckpt", SearchOption.AllDirectories)
            .Select(f => new FileInfo(f)).GroupBy(f => f.DirectoryName).Sum(g => g.Max(f => f.Length));
    }

    // Best of three passes of AES-256-GCM decryption over 1 MiB records, as the checkpoint's records are framed.
    private static double DecryptMs(long bytes)
    {
        using var aes = new System.Security.Cryptography.AesGcm(System.Security.Cryptography.RandomNumberGenerator.GetBytes(32), 16);
        var plain = new byte[1 << 20];
        var cipher = new byte[plain.Length];
        var nonce = new byte[12];
        var tag = new byte[16];
        aes.Encrypt(nonce, plain, cipher, tag);
        var best = double.MaxValue;
        for (var pass = 0; pass < 3; pass++)
        {
            var clock = Stopwatch.StartNew();
            for (long done = 0; done < bytes; done += plain.Length)
            {
                aes.Decrypt(nonce, cipher, tag, plain);
            }

            best = Math.Min(best, clock.Elapsed.TotalMilliseconds);
        }

        return best;
    }

    private static float[] RandomVector(Random random, int dimension) =>
        [.. Enumerable.Range(0, dimension).Select(_ => random.NextSingle() - 0.5f)];

    private static long PlatformRss(IEnumerable<int> pids) => pids.Sum(Rss);

    private static long EngineRss(string tenantId) =>
        ProcessCpu.FindByEnvironment("Engine__TenantId", tenantId) is { } pid ? Rss(pid) : 0;

    // VmRSS of /proc/<pid>/status, in bytes; 0 when the process is gone.
    private static long Rss(int pid)
    {
        try
        {
            var line = File.ReadLines($"/proc/{pid}/status").FirstOrDefault(l => l.StartsWith("VmRSS:", StringComparison.Ordinal));
            return line is null ? 0 : long.Parse(line.Split(' ', StringSplitOptions.RemoveEmptyEntries)[1], CultureInfo.InvariantCulture) * 1024;
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return 0;
        }
    }

    private static double Percentile(List<double> values, double q)
    {
        if (values.Count == 0)
        {
            return double.NaN;
        }

        var sorted = values.Order().ToList();
        return sorted[Math.Min(sorted.Count - 1, (int)(sorted.Count * q))];
    }

    private static string Describe(List<double> ms) =>
        $"{ms.Count} wakes, p50 {Percentile(ms, 0.5):F0} ms, p99 {Percentile(ms, 0.99):F0} ms, max {(ms.Count > 0 ? ms.Max() : double.NaN):F0} ms";

    private sealed record Tenant(string Id, HttpClient Client);

    private sealed record Settings(int Tenants, int Points, int LargePoints, int Dimension, int IdleSeconds, int Wakes, int ActiveSharePercent, int LoadClients, int MachineGb);
}
