using System.Net.Http.Json;
using System.Text.Json.Nodes;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Microsoft.Extensions.Logging;
using Piramid.ServiceDefaults;
using Piramid.TestKit;
using Piramid.TestKit.Platform;

namespace Piramid.Gateway.Tests.Support;

/// <summary>Control plane (with real engines and PostgreSQL) plus a real gateway in front, all on loopback.</summary>
public sealed class PlatformHost : IAsyncDisposable
{
    private readonly IDictionary<string, string?>? _gatewaySettings;
    private readonly Action<IServiceCollection>? _gatewayServices;

    private PlatformHost(ControlPlaneHost controlPlane, WebApplication gateway, Uri gatewayAddress, IDictionary<string, string?>? gatewaySettings, Action<IServiceCollection>? gatewayServices)
    {
        _gatewaySettings = gatewaySettings;
        _gatewayServices = gatewayServices;
        ControlPlane = controlPlane;
        Gateway = gateway;
        GatewayAddress = gatewayAddress;
    }

    /// <summary>The gateway's log lines (for failure messages).</summary>
    public static CapturingLoggerProvider Logs { get; } = new();

    /// <summary>The control plane.</summary>
    public ControlPlaneHost ControlPlane { get; }

    /// <summary>The gateway app.</summary>
    public WebApplication Gateway { get; private set; }

    /// <summary>http://127.0.0.1:port of the gateway.</summary>
    public Uri GatewayAddress { get; }

    /// <summary>
    /// Starts both; <paramref name="gatewayServices"/> may replace gateway services (a clock) after its own. With
    /// <paramref name="issuerAtGateway"/>, the issuer is the gateway's public URL, as <c>./piramid up</c> configures it;
    /// <paramref name="controlPlaneServices"/> adds to the control plane's services (a fault to inject).
    /// <paramref name="pickPort"/> chooses the gateway's port (a free one by default; tests of the retry pass a taken one).
    /// </summary>
    /// <remarks>
    /// The gateway's address must be known before the control plane starts (it may be the issuer), so it cannot be bound
    /// to port 0 and read back. A port that another test took between the pick and the bind is retried with a fresh one,
    /// with a fresh control plane when the issuer named the old one.
    /// </remarks>
    public static async Task<PlatformHost> StartAsync(
        PostgresFixture postgres, IDictionary<string, string?>? gatewaySettings = null, Action<IServiceCollection>? gatewayServices = null, bool issuerAtGateway = false,
        IDictionary<string, string?>? controlPlaneSettings = null, Func<int>? pickPort = null, Action<WebApplicationBuilder>? controlPlaneServices = null)
    {
        pickPort ??= LoopbackPort.GetFree;
        ControlPlaneHost? controlPlane = null;
        for (var attempt = 1; ; attempt++)
        {
            var url = $"http://127.0.0.1:{pickPort()}";
            if (controlPlane is null)
            {
                var settings = new Dictionary<string, string?>(controlPlaneSettings ?? new Dictionary<string, string?>());
                if (issuerAtGateway)
                {
                    settings["Identity:Issuer"] = url + "/";
                }

                controlPlane = await ControlPlaneHost.StartAsync(postgres, settings, controlPlaneServices);
            }

            try
            {
                var gateway = await StartGatewayAsync(controlPlane, url, gatewaySettings, gatewayServices);
                return new PlatformHost(controlPlane, gateway, new Uri(url), gatewaySettings, gatewayServices);
            }
            catch (IOException e) when (attempt < MaxPortAttempts && IsAddressInUse(e, url))
            {
                if (issuerAtGateway)
                {
                    await controlPlane.DisposeAsync();
                    controlPlane = null;
                }
            }
            catch
            {
                await controlPlane.DisposeAsync();
                throw;
            }
        }
    }

    private const int MaxPortAttempts = 5;

    // Kestrel: "Failed to bind to address http://127.0.0.1:port: address already in use." (AddressInUseException inside).
    private static bool IsAddressInUse(IOException e, string url) =>
        e.Message.Contains(url, StringComparison.Ordinal)
        && (e.InnerException is Microsoft.AspNetCore.Connections.AddressInUseException || e.Message.Contains("address already in use", StringComparison.OrdinalIgnoreCase));

    /// <summary>Stops the gateway (it sends its last usage report) and starts a fresh one on the same address.</summary>
    public async Task RestartGatewayAsync()
    {
        await Gateway.StopAsync();
        await Gateway.DisposeAsync();
        var url = GatewayAddress.ToString().TrimEnd('/');
        // Another test's host may take the freed port for a moment (ports are picked free, then bound): try again.
        for (var attempt = 1; ; attempt++)
        {
            try
            {
                Gateway = await StartGatewayAsync(ControlPlane, url, _gatewaySettings, _gatewayServices);
                return;
            }
            catch (IOException e) when (attempt < MaxPortAttempts * 10 && IsAddressInUse(e, url))
            {
                await Task.Delay(200);
            }
        }
    }

    /// <summary>Sends the gateway's usage report now instead of waiting for its timer.</summary>
    public Task ReportUsageAsync() => Gateway.Services.GetRequiredService<Usage.UsageReporter>().ReportOnceAsync(CancellationToken.None);

    private static async Task<WebApplication> StartGatewayAsync(ControlPlaneHost controlPlane, string url, IDictionary<string, string?>? gatewaySettings, Action<IServiceCollection>? gatewayServices)
    {
        var builder = WebApplication.CreateBuilder();
        builder.WebHost.UseUrls(url);
        builder.Configuration.AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["Gateway:ControlPlaneUrl"] = controlPlane.BaseAddress.ToString(),
            ["Gateway:ClientId"] = controlPlane.Gateway.ClientId,
            ["Gateway:ClientSecret"] = controlPlane.Gateway.ClientSecret,
        });
        if (gatewaySettings is not null)
        {
            builder.Configuration.AddInMemoryCollection(gatewaySettings);
        }

        builder.Logging.AddProvider(Logs);
        builder.AddServiceDefaults("piramid-gateway");
        builder.AddGateway();
        gatewayServices?.Invoke(builder.Services);
        var gateway = builder.Build();
        gateway.UseGateway();
        try
        {
            await gateway.StartAsync();
        }
        catch
        {
            await gateway.DisposeAsync();
            throw;
        }

        await WaitReadyAsync(gateway);
        return gateway;
    }

    // Like a load balancer, the tests send traffic only once the gateway says it is ready (routes loaded). Asked
    // in process: some tests serve HTTPS only, with a certificate this client would not trust.
    private static async Task WaitReadyAsync(WebApplication gateway)
    {
        var health = gateway.Services.GetRequiredService<HealthCheckService>();
        var deadline = DateTime.UtcNow.AddSeconds(30);
        while (true)
        {
            var report = await health.CheckHealthAsync(c => c.Tags.Contains(ServiceDefaultsExtensions.ReadyTag));
            if (report.Status == HealthStatus.Healthy)
            {
                return;
            }

            if (DateTime.UtcNow > deadline)
            {
                throw new TimeoutException($"the gateway was not ready within 30 s: {report.Status}");
            }

            await Task.Delay(50);
        }
    }

    /// <summary>Creates a tenant and a key with <paramref name="role"/>; returns the tenant id and the key.</summary>
    public async Task<(string TenantId, string Key)> TenantWithKeyAsync(string name, string role = "admin", string[]? collections = null, string? plan = null)
    {
        using var admin = await ControlPlane.ClientAsync(ControlPlane.Operator);
        using var created = await admin.PostAsJsonAsync("/v1/tenants", new { name, plan });
        created.EnsureSuccessStatusCode();
        var tenantId = (await created.Content.ReadFromJsonAsync<JsonObject>())!["id"]!.GetValue<string>();
        return (tenantId, await KeyAsync(tenantId, role, collections));
    }

    /// <summary>Another key for a tenant.</summary>
    public async Task<string> KeyAsync(string tenantId, string role, string[]? collections = null)
    {
        using var admin = await ControlPlane.ClientAsync(ControlPlane.Operator);
        using var key = await admin.PostAsJsonAsync($"/v1/tenants/{tenantId}/api-keys", new { name = role, role, collections });
        key.EnsureSuccessStatusCode();
        return (await key.Content.ReadFromJsonAsync<JsonObject>())!["key"]!.GetValue<string>();
    }

    /// <summary>Process id of the tenant's engine as the control plane recorded it.</summary>
    public async Task<int> EngineProcessIdAsync(string tenantId)
    {
        await using var scope = ControlPlane.App.Services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<Piramid.ControlPlane.Data.ControlPlaneDbContext>();
        var row = await db.Engines.AsNoTracking().SingleAsync(e => e.TenantId == tenantId);
        return row.ProcessId ?? throw new InvalidOperationException("engine has no process");
    }

    /// <summary>A client of the gateway presenting <paramref name="key"/> as a bearer token.</summary>
    public HttpClient Client(string? key)
    {
        var http = new HttpClient { BaseAddress = GatewayAddress, Timeout = TimeSpan.FromSeconds(60) };
        if (key is not null)
        {
            http.DefaultRequestHeaders.Authorization = new("Bearer", key);
        }

        return http;
    }

    /// <summary>Stops the gateway, then the control plane and its engines.</summary>
    public async ValueTask DisposeAsync()
    {
        await Gateway.StopAsync();
        await Gateway.DisposeAsync();
        await ControlPlane.DisposeAsync();
    }
}
