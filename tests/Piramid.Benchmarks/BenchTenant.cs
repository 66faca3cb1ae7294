using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using Piramid.TestKit.Http;

namespace Piramid.Benchmarks;

/// <summary>
/// A throw-away tenant on a running platform (<c>./piramid up</c>) on a plan whose limits never refuse, with a
/// client through the gateway (admin API key) and one straight to its engine (signed as the gateway signs), and
/// the processes whose CPU the modes report. Disposing deletes the tenant.
/// </summary>
internal sealed class BenchTenant : IAsyncDisposable
{
    private readonly HttpClient _admin;

    private BenchTenant(HttpClient admin, string tenantId, HttpClient viaGateway, HttpClient direct, ProcessCpu processes)
    {
        _admin = admin;
        TenantId = tenantId;
        ViaGateway = viaGateway;
        Direct = direct;
        Processes = processes;
    }

    public string TenantId { get; }

    /// <summary>Requests through the gateway, with the tenant's admin key.</summary>
    public HttpClient ViaGateway { get; }

    /// <summary>Requests straight to the tenant's engine.</summary>
    public HttpClient Direct { get; }

    /// <summary>CPU of the load generator, the gateway and the tenant's engine.</summary>
    public ProcessCpu Processes { get; }

    /// <summary>The path's client by name: <c>gateway</c> or <c>direct</c>.</summary>
    public HttpClient Path(string name) => name == "direct" ? Direct : ViaGateway;

    /// <summary>A new tenant, or (<paramref name="existingTenantId"/>) a new admin key for one left by an earlier run.</summary>
    public static async Task<BenchTenant> CreateAsync(string state, string? existingTenantId = null)
    {
        var gatewayUrl = new Uri(LocalPlatform.PortUrl(state, "gateway"));
        var controlPlaneUrl = new Uri(LocalPlatform.PortUrl(state, "control-plane"));
        var credentials = LocalPlatform.Credentials(state);
        var admin = await LocalPlatform.OperatorAsync(controlPlaneUrl, credentials, TimeSpan.FromMinutes(5));
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
        var tenantId = existingTenantId ?? (await (await admin.PostAsJsonAsync("/v1/tenants", new { name = $"bench-{Guid.NewGuid():N}"[..20], plan = "benchmark" }))
            .EnsureSuccessStatusCode().Content.ReadFromJsonAsync<JsonObject>())!["id"]!.GetValue<string>();
        var key = (await (await admin.PostAsJsonAsync($"/v1/tenants/{tenantId}/api-keys", new { name = "bench", role = "admin" })).EnsureSuccessStatusCode()
            .Content.ReadFromJsonAsync<JsonObject>())!["key"]!.GetValue<string>();
        var viaGateway = new HttpClient(new SocketsHttpHandler()) { BaseAddress = gatewayUrl, Timeout = TimeSpan.FromMinutes(5) };
        viaGateway.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", key);
        await WaitRoutedAsync(viaGateway);
        var (endpoint, secret) = await RouteAsync(controlPlaneUrl, credentials, tenantId);
        var direct = new HttpClient(new SigningHandler(secret, tenantId, "admin", "bench", null)) { BaseAddress = endpoint, Timeout = TimeSpan.FromMinutes(5) };
        var processes = new ProcessCpu(new Dictionary<string, int?>
        {
            ["client"] = Environment.ProcessId,
            ["gateway"] = LocalPlatform.ReadPid(state, "gateway"),
            ["engine"] = ProcessCpu.FindByEnvironment("Engine__TenantId", tenantId),
        });
        return new BenchTenant(admin, tenantId, viaGateway, direct, processes);
    }

    public async ValueTask DisposeAsync()
    {
        await _admin.DeleteAsync(new Uri($"/v1/tenants/{TenantId}", UriKind.Relative));
        ViaGateway.Dispose();
        Direct.Dispose();
        _admin.Dispose();
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
}
