using System.Net.Http.Json;
using Piramid.Client;
using Piramid.Gateway.Tests.Support;
using Piramid.TestKit.Platform;

namespace Piramid.Client.Tests.Support;

/// <summary>
/// One real platform (PostgreSQL, control plane, engines, gateway on loopback) for all client tests; each test
/// makes its own tenant, so tests never see each other's data.
/// </summary>
public sealed class ClientPlatform : IAsyncLifetime
{
    /// <summary>A plan whose write bucket holds one token and refills one per second: the second write in a second is a 429.</summary>
    public const string TinyPlan = "client-tiny";

    private readonly PostgresFixture _postgres = new();
    private int _tenants;

    /// <summary>The platform.</summary>
    public PlatformHost Host { get; private set; } = null!;

    public async Task InitializeAsync()
    {
        await _postgres.InitializeAsync();
        Host = await PlatformHost.StartAsync(_postgres);
        using var admin = await Host.ControlPlane.ClientAsync(Host.ControlPlane.Operator);
        (await admin.PutAsJsonAsync($"/v1/plans/{TinyPlan}", new
        {
            name = "Client tiny",
            max_collections = 5,
            max_points = 1000,
            max_storage_bytes = 1L << 30,
            max_dimension = 64,
            read_rate_per_second = 100,
            read_burst = 100,
            write_rate_per_second = 1,
            write_burst = 1,
            monthly_read_units = 1_000_000,
            monthly_write_units = 1_000_000,
        })).EnsureSuccessStatusCode();
    }

    /// <summary>A new tenant's admin API key (on <paramref name="plan"/>), once the gateway routes it.</summary>
    public async Task<string> NewTenantKeyAsync(string? plan = null)
    {
        var (_, key) = await Host.TenantWithKeyAsync($"client-{Interlocked.Increment(ref _tenants)}", plan: plan);
        using var http = Host.Client(key);
        await Probe.WaitRoutedAsync(http);
        return key;
    }

    /// <summary>A client of the gateway with <paramref name="key"/>; <paramref name="http"/> lets a test watch the attempts.</summary>
    public PiramidClient Client(string key, HttpClient? http = null, int maxAttempts = 4) => new(new PiramidClientOptions
    {
        BaseAddress = Host.GatewayAddress,
        ApiKey = key,
        MaxAttempts = maxAttempts,
        InitialBackoff = TimeSpan.FromMilliseconds(50),
        Random = new Random(24),
    }, http);

    public async Task DisposeAsync()
    {
        await Host.DisposeAsync();
        await _postgres.DisposeAsync();
    }
}

/// <summary>The client tests share one platform.</summary>
[CollectionDefinition(Name)]
public sealed class ClientCollection : ICollectionFixture<ClientPlatform>
{
    /// <summary>Collection name.</summary>
    public const string Name = "client";
}
