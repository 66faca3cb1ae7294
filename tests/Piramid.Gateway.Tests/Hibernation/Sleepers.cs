using System.Globalization;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using Piramid.Contracts.Admin;
using Piramid.Gateway.Routing;
using Piramid.Gateway.Tests.Support;
using Piramid.TestKit.Platform;

namespace Piramid.Gateway.Tests.Hibernation;

/// <summary>Platforms whose tenants hibernate after a short idle period, and what the tests observe of them.</summary>
internal static class Sleepers
{
    /// <summary>
    /// A platform whose gateway reports activity every <paramref name="activityInterval"/>; the control plane's
    /// engines stop within <paramref name="stopTimeout"/> (then SIGKILL), 20 s when not given, and keep serving for
    /// <paramref name="hibernationGrace"/> after their route is withdrawn (the default, 2 s, when not given);
    /// <paramref name="controlPlaneSettings"/> are added to the control plane's.
    /// </summary>
    public static Task<PlatformHost> StartAsync(
        PostgresFixture postgres, TimeSpan activityInterval, TimeSpan? stopTimeout = null, TimeSpan? hibernationGrace = null,
        IDictionary<string, string?>? controlPlaneSettings = null)
    {
        // Idle periods of a second or two: far below the product's minimum, which the tests' fast activity reports allow.
        var controlPlane = new Dictionary<string, string?>(controlPlaneSettings ?? new Dictionary<string, string?>())
        {
            ["Orchestrator:MinHibernateAfter"] = "00:00:01",
        };
        if (stopTimeout is { } stop)
        {
            controlPlane["Orchestrator:StopTimeout"] = stop.ToString("c", CultureInfo.InvariantCulture);
        }

        if (hibernationGrace is { } grace)
        {
            controlPlane["Orchestrator:HibernationGrace"] = grace.ToString("c", CultureInfo.InvariantCulture);
        }

        return PlatformHost.StartAsync(
            postgres,
            gatewaySettings: new Dictionary<string, string?>
            {
                ["Gateway:EngineActivityReportInterval"] = activityInterval.ToString("c", CultureInfo.InvariantCulture),
                ["Gateway:EngineStartWait"] = "00:00:45",
                ["Gateway:MaxConcurrentRequestsPerTenant"] = "1000",
            },
            controlPlaneSettings: controlPlane);
    }

    /// <summary>A tenant on a plan that hibernates after <paramref name="idleSeconds"/>, with an admin key.</summary>
    public static async Task<(string TenantId, string Key)> TenantAsync(PlatformHost platform, string name, int idleSeconds, int pitrWindowHours = 0)
    {
        using (var admin = await platform.ControlPlane.ClientAsync(platform.ControlPlane.Operator))
        {
            using var plan = await admin.PutAsJsonAsync("/v1/plans/nap", new
            {
                name = "Nap",
                max_collections = 5,
                max_points = 1_000_000,
                max_storage_bytes = 1L << 30,
                max_dimension = 64,
                read_rate_per_second = 10_000,
                read_burst = 10_000,
                write_rate_per_second = 10_000,
                write_burst = 10_000,
                monthly_read_units = 1_000_000_000,
                monthly_write_units = 1_000_000_000,
                max_requests_in_flight = 1000,
                hibernate_after_seconds = idleSeconds,
                pitr_window_hours = pitrWindowHours,
            });
            plan.EnsureSuccessStatusCode();
        }

        return await platform.TenantWithKeyAsync(name, plan: "nap");
    }

    /// <summary>The tenant's <c>engine_state</c> as <c>GET /v1/tenants/{id}</c> shows it.</summary>
    public static async Task<string?> EngineStateAsync(PlatformHost platform, string tenantId)
    {
        using var admin = await platform.ControlPlane.ClientAsync(platform.ControlPlane.Operator);
        var tenant = await admin.GetFromJsonAsync<JsonObject>($"/v1/tenants/{tenantId}");
        return tenant!["engine_state"]?.GetValue<string>();
    }

    /// <summary>Waits (bounded) until the tenant's engine shows <paramref name="state"/>.</summary>
    public static async Task WaitForStateAsync(PlatformHost platform, string tenantId, string state, TimeSpan within)
    {
        var deadline = DateTime.UtcNow + within;
        string? seen;
        while ((seen = await EngineStateAsync(platform, tenantId)) != state)
        {
            Assert.True(DateTime.UtcNow < deadline, $"engine of {tenantId} never showed '{state}' within {within} (last '{seen}')");
            await Task.Delay(50);
        }
    }

    /// <summary>
    /// Waits until the tenant hibernates: recorded so (before the engine is signalled), its process ended, and the
    /// gateway told. The gateway learns it from the change feed, which can take longer than the engine's stop (a Native
    /// AOT engine exits within tens of milliseconds): a request sent before that goes to the old route, which then
    /// answers only within the hibernation's grace.
    /// </summary>
    public static async Task WaitHibernatedAsync(PlatformHost platform, string tenantId, TimeSpan within)
    {
        await WaitForStateAsync(platform, tenantId, RouteStates.Hibernating, within);
        var deadline = DateTime.UtcNow + within;
        var table = platform.Gateway.Services.GetRequiredService<RoutingTable>();
        while (EngineProcesses(platform, tenantId).Count != 0 || !table.IsHibernating(tenantId))
        {
            Assert.True(DateTime.UtcNow < deadline, $"the engine of {tenantId} never ended, or the gateway never saw it hibernating, within {within}");
            await Task.Delay(20);
        }
    }

    /// <summary>Engine processes serving the tenant's data directory (from /proc: their environment names it).</summary>
    public static IReadOnlyList<int> EngineProcesses(PlatformHost platform, string tenantId)
    {
        var orchestrator = platform.ControlPlane.App.Services.GetRequiredService<Piramid.ControlPlane.Orchestration.LocalProcessOrchestrator>();
        var marker = "Engine__DataDirectory=" + orchestrator.DataDirectoryOf(tenantId) + "\0";
        var found = new List<int>();
        foreach (var directory in Directory.EnumerateDirectories("/proc"))
        {
            if (!int.TryParse(Path.GetFileName(directory), out var pid))
            {
                continue;
            }

            try
            {
                var environ = File.ReadAllText(Path.Combine(directory, "environ"));
                var stat = File.ReadAllText(Path.Combine(directory, "stat"));
                var zombie = stat[(stat.LastIndexOf(')') + 2)..].StartsWith('Z');
                if (!zombie && (environ + "\0").Contains(marker, StringComparison.Ordinal))
                {
                    found.Add(pid);
                }
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException)
            {
                // Gone meanwhile, or not ours to read.
            }
        }

        return found;
    }

    /// <summary>How many times the control plane saw the tenant's engine become ready (its log: one line per start).</summary>
    public static int ReadyStarts(PlatformHost platform, string tenantId) =>
        platform.ControlPlane.Logs.Text.Split('\n').Count(l => l.Contains($"Engine of tenant {tenantId} started: pid", StringComparison.Ordinal));

    /// <summary>Points with <paramref name="ids"/>, 4-d vectors derived from the id.</summary>
    public static object Points(IEnumerable<string> ids) =>
        new { points = ids.Select(id => new { id, vector = VectorOf(id) }).ToArray() };

    /// <summary>The vector stored for an id.</summary>
    public static float[] VectorOf(string id)
    {
        var h = 2166136261u; // FNV-1a: the same vector in every run.
        foreach (var c in id)
        {
            h = (h ^ c) * 16777619u;
        }

        return [1 + (h & 0xff), 1 + ((h >> 8) & 0xff), 1 + ((h >> 16) & 0xff), 1 + (h >> 24)];
    }

    /// <summary>The ids among <paramref name="ids"/> the tenant holds.</summary>
    public static async Task<HashSet<string>> StoredAsync(HttpClient client, IReadOnlyList<string> ids)
    {
        var stored = new HashSet<string>(StringComparer.Ordinal);
        foreach (var chunk in ids.Chunk(500))
        {
            using var response = await client.PostAsJsonAsync("/v1/collections/docs/points/get", new { ids = chunk });
            response.EnsureSuccessStatusCode();
            var body = await response.Content.ReadFromJsonAsync<JsonObject>();
            foreach (var point in body!["points"]!.AsArray())
            {
                stored.Add(point!["id"]!.GetValue<string>());
            }
        }

        return stored;
    }
}
