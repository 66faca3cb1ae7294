using System.Globalization;
using System.Net;
using System.Net.Http.Json;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Piramid.ControlPlane.Data;
using Piramid.ControlPlane.Data.Entities;
using Piramid.ControlPlane.Hosting;
using Piramid.ControlPlane.Orchestration;
using Piramid.ControlPlane.Tests.Support;
using Piramid.TestKit;
using Piramid.TestKit.Http;
using Piramid.TestKit.Processes;
using Xunit.Abstractions;

namespace Piramid.ControlPlane.Tests.Orchestration;

/// <summary>
/// One test's world: a migrated database, a state directory and a platform key. Control planes are real
/// hosts (AddControlPlaneDatabase + AddLocalOrchestrator); engines are real processes. On dispose every
/// engine process under the state directory is killed, so no test leaves one behind.
/// </summary>
internal sealed class OrchestrationEnvironment : IAsyncDisposable
{
    private readonly TempDirectory _state = new("piramid-orch");
    private readonly ITestOutputHelper _output;

    private OrchestrationEnvironment(string connectionString, ITestOutputHelper output)
    {
        ConnectionString = connectionString;
        _output = output;
        PlatformKey = RandomNumberGenerator.GetBytes(32);
        PlatformKeyFile = _state.Combine("platform.key");
        File.WriteAllText(PlatformKeyFile, Convert.ToBase64String(PlatformKey));
        if (!OperatingSystem.IsWindows())
        {
            File.SetUnixFileMode(PlatformKeyFile, UnixFileMode.UserRead | UnixFileMode.UserWrite);
        }
    }

    public string ConnectionString { get; }

    public byte[] PlatformKey { get; }

    public string PlatformKeyFile { get; }

    public string StateDirectory => Path.Combine(_state.Path, "state");

    public static async Task<OrchestrationEnvironment> CreateAsync(PostgresFixture postgres, ITestOutputHelper output)
    {
        var (_, connectionString) = await postgres.CreateMigratedDatabaseAsync();
        return new OrchestrationEnvironment(connectionString, output);
    }

    /// <summary>
    /// Starts a control plane; it adopts whatever engines run under the state directory. It runs the engine build
    /// unless <paramref name="engineBinary"/> names another executable (a wrapper around it).
    /// </summary>
    public async Task<ControlPlaneInstance> StartControlPlaneAsync(string? engineBinary = null)
    {
        var engine = engineBinary ?? EngineBinary.ForOtherUsers();
        var builder = WebApplication.CreateBuilder();
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        builder.Configuration.AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["ConnectionStrings:ControlPlane"] = ConnectionString,
            ["Orchestrator:StateDirectory"] = StateDirectory,
            ["Orchestrator:EngineBinary"] = engine,
            ["Orchestrator:PlatformKeyFile"] = PlatformKeyFile,
            ["Orchestrator:HealthInterval"] = "00:00:00.200",
        });
        builder.Logging.ClearProviders();
        builder.Logging.AddProvider(new TestOutputLoggerProvider(_output));
        builder.Services.AddSingleton(TimeProvider.System); // The service defaults' clock, which this partial host leaves out.
        builder.AddControlPlaneDatabase();
        builder.AddLocalOrchestrator();
        var app = builder.Build();
        await app.StartAsync();
        return new ControlPlaneInstance(app);
    }

    /// <summary>A plan and an active tenant on it.</summary>
    public async Task<(Tenant Tenant, Plan Plan)> SeedTenantAsync(string tenantId)
    {
        await using var db = CreateDbContext();
        var plan = await db.Plans.FindAsync("standard") ?? db.Plans.Add(new Plan
        {
            Id = "standard",
            Name = "Standard",
            MaxCollections = 10,
            MaxPoints = 100_000,
            MaxDimension = 1536,
            MaxStorageBytes = 1L << 30,
        }).Entity;
        var tenant = db.Tenants.Add(new Tenant { Id = tenantId, Name = tenantId, PlanId = plan.Id, Status = TenantStatus.Active }).Entity;
        await db.SaveChangesAsync();
        return (tenant, plan);
    }

    public ControlPlaneDbContext CreateDbContext() =>
        new(ControlPlaneDatabase.Configure(new DbContextOptionsBuilder<ControlPlaneDbContext>(), ConnectionString).Options);

    public async Task<EngineRecord?> EngineRowAsync(string tenantId)
    {
        await using var db = CreateDbContext();
        return await db.Engines.AsNoTracking().SingleOrDefaultAsync(e => e.TenantId == tenantId);
    }

    /// <summary>Live processes started with this data directory, read from /proc independently of the orchestrator.</summary>
    public static List<int> EngineProcessesFor(string dataDirectory)
    {
        var needle = Encoding.UTF8.GetBytes($"Engine__DataDirectory={dataDirectory}\0");
        var pids = new List<int>();
        foreach (var entry in Directory.EnumerateDirectories("/proc"))
        {
            if (!int.TryParse(Path.GetFileName(entry), NumberStyles.None, CultureInfo.InvariantCulture, out var pid))
            {
                continue;
            }

            try
            {
                var environ = File.ReadAllBytes(Path.Combine(entry, "environ"));
                var stat = File.ReadAllText(Path.Combine(entry, "stat"));
                var alive = stat[(stat.LastIndexOf(')') + 2)..][0] is not ('Z' or 'X');
                if (alive && environ.AsSpan().IndexOf(needle) >= 0)
                {
                    pids.Add(pid);
                }
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException)
            {
                // Exited while we looked.
            }
        }

        return pids;
    }

    /// <summary>Polls <paramref name="condition"/> until it holds; fails with <paramref name="what"/> after the deadline.</summary>
    public static async Task<T> PollAsync<T>(Func<Task<T?>> condition, string what, TimeSpan? timeout = null)
        where T : class
    {
        var deadline = DateTime.UtcNow + (timeout ?? TimeSpan.FromSeconds(60));
        while (DateTime.UtcNow < deadline)
        {
            if (await condition() is { } value)
            {
                return value;
            }

            await Task.Delay(20);
        }

        throw new TimeoutException($"Timed out waiting until {what}.");
    }

    public static HttpClient Client(EngineRoute route) =>
        new(new SigningHandler(route.EngineSecret, route.TenantId, "admin", "orchestration-test", null))
        {
            BaseAddress = route.Endpoint,
            Timeout = TimeSpan.FromSeconds(30),
        };

    /// <summary>Creates a collection and upserts <paramref name="count"/> points, each acknowledged with 200.</summary>
    public static async Task<Dictionary<string, float[]>> WritePointsAsync(HttpClient http, string collection, int count, int seed)
    {
        using (var create = await http.PutAsJsonAsync($"/v1/collections/{collection}", new { dimension = 4, metric = "euclidean", index = new { type = "flat" } }))
        {
            Assert.True(create.IsSuccessStatusCode, $"create collection: {(int)create.StatusCode} {await create.Content.ReadAsStringAsync()}");
        }

        var random = new Random(seed);
        var points = Enumerable.Range(0, count).ToDictionary(
            i => $"p{i}",
            _ => Enumerable.Range(0, 4).Select(_ => (float)random.NextDouble()).ToArray());
        using var upsert = await http.PostAsJsonAsync(
            $"/v1/collections/{collection}/points",
            new { points = points.Select(p => new { id = p.Key, vector = p.Value }).ToArray() });
        Assert.True(upsert.StatusCode == HttpStatusCode.OK, $"upsert: {(int)upsert.StatusCode} {await upsert.Content.ReadAsStringAsync()}");
        return points;
    }

    /// <summary>Asserts the collection holds exactly <paramref name="expected"/>, bit for bit.</summary>
    public static async Task AssertPointsAsync(HttpClient http, string collection, Dictionary<string, float[]> expected)
    {
        using var response = await http.PostAsJsonAsync($"/v1/collections/{collection}/scroll", new { limit = 1000, include_vector = true });
        var body = await response.Content.ReadAsStringAsync();
        Assert.True(response.IsSuccessStatusCode, $"scroll: {(int)response.StatusCode} {body}");
        var stored = JsonNode.Parse(body)!["points"]!.AsArray().ToDictionary(
            p => p!["id"]!.GetValue<string>(),
            p => p!["vector"]!.AsArray().Select(v => v!.GetValue<float>()).ToArray());
        Assert.Equal(expected.Count, stored.Count);
        foreach (var (id, vector) in expected)
        {
            Assert.True(stored.TryGetValue(id, out var actual), $"acknowledged point {id} is missing");
            Assert.Equal(vector, actual);
        }
    }

    public async ValueTask DisposeAsync()
    {
        foreach (var directory in Directory.Exists(Path.Combine(StateDirectory, "tenants"))
            ? Directory.GetDirectories(Path.Combine(StateDirectory, "tenants")) : [])
        {
            foreach (var pid in EngineProcessesFor(Path.Combine(directory, "data")))
            {
                try
                {
                    using var process = System.Diagnostics.Process.GetProcessById(pid);
                    process.Kill();
                    await process.WaitForExitAsync();
                }
                catch (ArgumentException)
                {
                    // Already gone.
                }
            }
        }

        _state.Dispose();
    }
}
