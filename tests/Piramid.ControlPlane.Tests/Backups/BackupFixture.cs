using System.Net;
using System.Net.Http.Json;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json.Nodes;
using Microsoft.Extensions.DependencyInjection;
using Piramid.ControlPlane.Orchestration;
using Piramid.TestKit.Http;

namespace Piramid.ControlPlane.Tests.Backups;

/// <summary>A control plane with one tenant and its engine, and helpers for data, backups, restores and operations.</summary>
internal sealed class BackupFixture : IAsyncDisposable
{
    public static readonly TimeSpan Patience = TimeSpan.FromSeconds(90);

    private BackupFixture(ControlPlaneHost host, HttpClient admin, string tenant)
    {
        Host = host;
        Admin = admin;
        Tenant = tenant;
    }

    public ControlPlaneHost Host { get; }

    public HttpClient Admin { get; }

    public string Tenant { get; }

    /// <summary>Where the filesystem store keeps objects (`Backups:Directory`, which the test host sets).</summary>
    public string StoreDirectory => Host.App.Configuration["Backups:Directory"] ?? throw new InvalidOperationException("no filesystem store configured");

    /// <param name="postgres">The cluster.</param>
    /// <param name="name">The tenant's name.</param>
    /// <param name="plan">Its plan.</param>
    /// <param name="store">Backups:* settings of another store (S3 on moto); null = the filesystem store.</param>
    public static async Task<BackupFixture> StartAsync(PostgresFixture postgres, string name, string plan = "free", IDictionary<string, string?>? store = null)
    {
        var settings = new Dictionary<string, string?>
        {
            ["Operations:PollInterval"] = "00:00:00.100",
            ["Backups:ArchiveInterval"] = "00:00:00.500",
        };
        foreach (var (key, value) in store ?? new Dictionary<string, string?>())
        {
            settings[key] = value;
        }

        var host = await ControlPlaneHost.StartAsync(postgres, settings);
        var admin = await host.ClientAsync(host.Operator);
        var created = await SendAsync(admin, HttpMethod.Post, "/v1/tenants", new { name, plan }, HttpStatusCode.Created);
        return new BackupFixture(host, admin, created["id"]!.GetValue<string>());
    }

    /// <summary>A client of the tenant's engine, signed as the gateway would.</summary>
    public HttpClient Engine()
    {
        var route = Host.App.Services.GetRequiredService<IEngineOrchestrator>().GetRoute(Tenant) ?? throw new InvalidOperationException("no engine");
        return new HttpClient(new SigningHandler(route.EngineSecret, route.TenantId, "admin", "backup-test", null)) { BaseAddress = route.Endpoint };
    }

    public async Task CreateCollectionAsync(string name, int dimension)
    {
        using var engine = Engine();
        await SendAsync(engine, HttpMethod.Put, $"/v1/collections/{name}", new { dimension, metric = "cosine", index = new { type = "flat" } }, HttpStatusCode.Created);
    }

    /// <summary>Upserts points <paramref name="first"/>..first+count-1 with seeded vectors and metadata.</summary>
    /// <summary>Upserts points p{first}… in batches of 500; returns the last write's LSN.</summary>
    public async Task<long> UpsertAsync(string collection, int first, int count, int dimension, int seed)
    {
        var random = new Random(seed);
        using var engine = Engine();
        long lsn = 0;
        for (var at = first; at < first + count; at += 500)
        {
            var points = Enumerable.Range(at, Math.Min(500, first + count - at)).Select(i => new
            {
                id = $"p{i}",
                vector = Enumerable.Range(0, dimension).Select(_ => (float)(random.NextDouble() * 2 - 1)).ToArray(),
                metadata = new { n = i, group = i % 7, text = $"point {i} \u00e9" },
            });
            lsn = (await SendAsync(engine, HttpMethod.Post, $"/v1/collections/{collection}/points", new { points }, HttpStatusCode.OK))["lsn"]!.GetValue<long>();
        }

        return lsn;
    }

    /// <summary>SHA-256 over every point in id order: id, vector bytes as JSON numbers, metadata as returned.</summary>
    public async Task<(string Hash, int Count)> ContentHashAsync(string collection)
    {
        using var engine = Engine();
        using var sha = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        string? cursor = null;
        var count = 0;
        do
        {
            var page = await SendAsync(engine, HttpMethod.Post, $"/v1/collections/{collection}/scroll", new { limit = 1000, cursor, include_vector = true }, HttpStatusCode.OK);
            foreach (var point in page["points"]!.AsArray())
            {
                sha.AppendData(Encoding.UTF8.GetBytes(point!.ToJsonString()));
                count++;
            }

            cursor = page["next_cursor"]?.GetValue<string>();
        }
        while (cursor is not null);
        return (Convert.ToHexStringLower(sha.GetHashAndReset()), count);
    }

    /// <summary>Posts to <paramref name="path"/>, expects 202 with a Location to the operation, and waits until it finished.</summary>
    public async Task<JsonObject> RunOperationAsync(string path, object? body)
    {
        using var response = await Admin.PostAsJsonAsync(new Uri(path, UriKind.Relative), body ?? new { });
        var accepted = await response.Content.ReadFromJsonAsync<JsonObject>();
        Assert.True(response.StatusCode == HttpStatusCode.Accepted, $"{path}: {(int)response.StatusCode} {accepted}");
        var location = response.Headers.Location!.ToString();
        Assert.EndsWith($"/operations/{accepted!["id"]!.GetValue<string>()}", location, StringComparison.Ordinal);
        return await WaitFinishedAsync(location);
    }

    public async Task<JsonObject> WaitFinishedAsync(string operationPath)
    {
        var deadline = DateTimeOffset.UtcNow + Patience;
        while (true)
        {
            var op = await SendAsync(Admin, HttpMethod.Get, operationPath, null, HttpStatusCode.OK);
            if (op["state"]!.GetValue<string>() is "succeeded" or "failed")
            {
                return op;
            }

            Assert.True(DateTimeOffset.UtcNow < deadline, $"{operationPath} did not finish: {op}");
            await Task.Delay(100);
        }
    }

    public async Task<string> BackupAsync(object? body = null)
    {
        var op = await RunOperationAsync($"/v1/tenants/{Tenant}/backups", body);
        Assert.True(op["state"]!.GetValue<string>() == "succeeded", op.ToJsonString());

        // The result is the completed backup as recorded (its state, size and hash), not the row as it was while running.
        Assert.True(op["result"]!["state"]!.GetValue<string>() == "completed" && op["result"]!["size_bytes"]!.GetValue<long>() > 0, op.ToJsonString());
        return op["result"]!["id"]!.GetValue<string>();
    }

    public static async Task<JsonObject> SendAsync(HttpClient http, HttpMethod method, string path, object? body, HttpStatusCode expected)
    {
        using var request = new HttpRequestMessage(method, new Uri(path, UriKind.Relative));
        if (body is not null)
        {
            request.Content = JsonContent.Create(body, options: ControlPlaneHost.Json);
        }

        using var response = await http.SendAsync(request);
        var text = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == expected, $"{method} {path}: {(int)response.StatusCode} {text}");
        return text.Length == 0 ? [] : JsonNode.Parse(text)!.AsObject();
    }

    public async ValueTask DisposeAsync()
    {
        Admin.Dispose();
        await Host.DisposeAsync();
    }
}
