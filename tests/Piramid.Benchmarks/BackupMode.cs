using System.Diagnostics;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using Microsoft.Extensions.DependencyInjection;
using Piramid.ControlPlane.Backups;
using Piramid.ControlPlane.Orchestration;
using Piramid.TestKit.Http;
using Piramid.TestKit.Platform;

namespace Piramid.Benchmarks;

/// <summary>
/// Backup and restore through the control plane on one machine: a private PostgreSQL, the control plane in process,
/// a real engine (PIRAMID_ENGINE_BINARY), the filesystem store. Loads <c>--points</c> × <c>--dim</c> (flat index),
/// then times a backup, a restore of the deleted collection, a point-in-time restore, and samples the archive lag
/// while one writer writes steadily for <c>--lag-seconds</c>.
/// </summary>
internal sealed class BackupMode : IBenchmarkMode
{
    public string Name => "backup";

    public string Usage => "[--points 100000] [--dim 256] [--lag-seconds 30]";

    public int Run(BenchmarkArgs args)
    {
        var points = args.GetInt("points", 100_000, min: 1_000);
        var dim = args.GetInt("dim", 256, min: 1);
        var lagSeconds = args.GetInt("lag-seconds", 30, min: 1);
        args.ThrowIfUnused();
        return RunAsync(points, dim, lagSeconds).GetAwaiter().GetResult();
    }

    private static async Task<int> RunAsync(int count, int dim, int lagSeconds)
    {
        var postgres = new PostgresFixture();
        await postgres.InitializeAsync();
        try
        {
            await using var host = await ControlPlaneHost.StartAsync(postgres, new Dictionary<string, string?>
            {
                ["Operations:PollInterval"] = "00:00:00.050",
                ["Backups:ArchiveInterval"] = "00:00:01",
                ["Logging:LogLevel:Default"] = "Warning",
                ["Logging:LogLevel:Microsoft.AspNetCore"] = "Warning",
            });
            using var admin = await host.ClientAsync(host.Operator);
            var tenant = (await Send(admin, HttpMethod.Post, "/v1/tenants", new { name = "bench", plan = "standard" }))["id"]!.GetValue<string>();
            var route = host.App.Services.GetRequiredService<IEngineOrchestrator>().GetRoute(tenant)!;
            using var engine = new HttpClient(new SigningHandler(route.EngineSecret, tenant, "admin", "bench", null)) { BaseAddress = route.Endpoint, Timeout = TimeSpan.FromMinutes(5) };
            await Send(engine, HttpMethod.Put, "/v1/collections/docs", new { dimension = dim, metric = "cosine", index = new { type = "flat" } });
            var random = new Random(1);
            var load = Stopwatch.StartNew();
            for (var at = 0; at < count; at += 1000)
            {
                await Upsert(engine, random, at, Math.Min(1000, count - at), dim);
            }

            Console.WriteLine($"loaded {count:N0} x {dim}-d in {load.Elapsed.TotalSeconds:F1} s");

            var (backup, backupTime) = await Operation(admin, $"/v1/tenants/{tenant}/backups", new { });
            var bytes = backup["result"]!["size_bytes"]!.GetValue<long>();
            Console.WriteLine($"backup: {bytes / 1048576.0:F1} MiB in {backupTime.TotalSeconds:F2} s = {bytes / 1048576.0 / backupTime.TotalSeconds:F1} MiB/s, {count / backupTime.TotalSeconds:N0} points/s");

            await Send(engine, HttpMethod.Delete, "/v1/collections/docs", null);
            var (_, restoreTime) = await Operation(admin, $"/v1/tenants/{tenant}/restore", new { backup_id = backup["result"]!["id"]!.GetValue<string>() });
            Console.WriteLine($"restore: {bytes / 1048576.0:F1} MiB in {restoreTime.TotalSeconds:F2} s = {bytes / 1048576.0 / restoreTime.TotalSeconds:F1} MiB/s, {count / restoreTime.TotalSeconds:N0} points/s");

            await Upsert(engine, random, count, 1000, dim);
            var target = DateTimeOffset.UtcNow;
            await Upsert(engine, random, count + 1000, 1000, dim);
            var (_, pitrTime) = await Operation(admin, $"/v1/tenants/{tenant}/restore", new { at = target });
            Console.WriteLine($"point-in-time restore (backup + archived log, {count + 1000:N0} points): {pitrTime.TotalSeconds:F2} s");

            // Steady writes: 10 batches of 100 points a second; the archiver runs every second.
            var telemetry = host.App.Services.GetRequiredService<BackupTelemetry>();
            var lags = new List<(double Seconds, long Bytes)>();
            var behind = new List<double>();
            var writes = Stopwatch.StartNew();
            var next = count + 2000;
            while (writes.Elapsed < TimeSpan.FromSeconds(lagSeconds))
            {
                await Upsert(engine, random, next, 100, dim);
                next += 100;
                if (telemetry.LagOf(tenant) is { } lag)
                {
                    lags.Add((lag.Seconds, lag.Bytes));
                }

                // What the API shows (GET .../backups "archive"): how far the store trails the newest write, which
                // includes the log not sealed yet (sealed at the latest after Engine:WalSealIntervalSeconds).
                var archive = (await Send(admin, HttpMethod.Get, $"/v1/tenants/{tenant}/backups", null))["archive"]!;
                if (archive["archived_through"] is { } through)
                {
                    behind.Add((DateTimeOffset.UtcNow - through.GetValue<DateTimeOffset>()).TotalSeconds);
                }

                await Task.Delay(100);
            }

            var archived = await host.App.Services.GetRequiredService<WalArchiver>().ArchiveTenantAsync(tenant, CancellationToken.None);
            Console.WriteLine(lags.Count == 0
                ? "archive lag: no measurement"
                : $"archive lag under {next - count - 2000:N0} points in {lagSeconds} s: max {lags.Max(l => l.Seconds):F1} s / {lags.Max(l => l.Bytes) / 1024.0:F0} KiB, median {lags.Select(l => l.Seconds).Order().ElementAt(lags.Count / 2):F1} s ({lags.Count} samples; a final pass stored {archived} more segments)");
            Console.WriteLine(behind.Count == 0
                ? "store behind the newest write: no archived segment yet"
                : $"store behind the newest write (now - archived_through): max {behind.Max():F1} s, median {behind.Order().ElementAt(behind.Count / 2):F1} s ({behind.Count} samples)");
            return 0;
        }
        finally
        {
            await postgres.DisposeAsync();
        }
    }

    private static async Task Upsert(HttpClient engine, Random random, int first, int count, int dim) =>
        await Send(engine, HttpMethod.Post, "/v1/collections/docs/points", new
        {
            points = Enumerable.Range(first, count).Select(i => new
            {
                id = $"p{i}",
                vector = Enumerable.Range(0, dim).Select(_ => (float)(random.NextDouble() * 2 - 1)).ToArray(),
                metadata = new { n = i },
            }),
        });

    private static async Task<(JsonObject Operation, TimeSpan Elapsed)> Operation(HttpClient admin, string path, object body)
    {
        var clock = Stopwatch.StartNew();
        var op = await Send(admin, HttpMethod.Post, path, body);
        var location = $"/v1/tenants/{op["tenant_id"]!.GetValue<string>()}/operations/{op["id"]!.GetValue<string>()}";
        while (op["state"]!.GetValue<string>() is "pending" or "running")
        {
            await Task.Delay(50);
            op = await Send(admin, HttpMethod.Get, location, null);
        }

        if (op["state"]!.GetValue<string>() != "succeeded")
        {
            throw new InvalidOperationException($"{path} failed: {op["error"]}");
        }

        return (op, clock.Elapsed);
    }

    private static async Task<JsonObject> Send(HttpClient http, HttpMethod method, string path, object? body)
    {
        using var request = new HttpRequestMessage(method, new Uri(path, UriKind.Relative));
        if (body is not null)
        {
            request.Content = JsonContent.Create(body, options: ControlPlaneHost.Json);
        }

        using var response = await http.SendAsync(request);
        var text = await response.Content.ReadAsStringAsync();
        if (!response.IsSuccessStatusCode)
        {
            throw new InvalidOperationException($"{method} {path}: {(int)response.StatusCode} {text}");
        }

        return text.Length == 0 ? [] : JsonNode.Parse(text)!.AsObject();
    }
}
