using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Security.Cryptography;
using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Piramid.ControlPlane.Hosting;
using Piramid.ControlPlane.Identity;
using Piramid.TestKit;
using Piramid.TestKit.Processes;

namespace Piramid.TestKit.Platform;

/// <summary>
/// The whole control plane as Program.cs composes it, on real Kestrel (127.0.0.1, random port), a fresh
/// migrated database, real engine processes, a bootstrap operator and a gateway client with real tokens.
/// </summary>
public sealed class ControlPlaneHost : IAsyncDisposable
{
    private readonly TempDirectory _temp;

    private readonly Dictionary<string, string?> _settings;

    private readonly Action<WebApplicationBuilder>? _configure;

    private ControlPlaneHost(
        WebApplication app, TempDirectory temp, Uri baseAddress, string database, CapturingLoggerProvider logs, Dictionary<string, string?> settings, Action<WebApplicationBuilder>? configure)
    {
        _configure = configure;
        _settings = settings;
        App = app;
        _temp = temp;
        BaseAddress = baseAddress;
        Database = database;
        Logs = logs;
    }

    /// <summary>The running app (replaced by <see cref="RestartAsync"/>).</summary>
    public WebApplication App { get; private set; }

    /// <summary>http://127.0.0.1:port.</summary>
    public Uri BaseAddress { get; }

    /// <summary>Database name.</summary>
    public string Database { get; }

    /// <summary>The token-signing key file (tests forge tokens with it).</summary>
    public string SigningKeyFile => _settings["Identity:SigningKeyFile"]!;

    /// <summary>Captured logs.</summary>
    public CapturingLoggerProvider Logs { get; }

    /// <summary>Bootstrap operator (platform_admin).</summary>
    public ClientCredentials Operator { get; private set; } = null!;

    /// <summary>Gateway machine client.</summary>
    public ClientCredentials Gateway { get; private set; } = null!;

    /// <summary>Starts it.</summary>
    /// <param name="postgres">The cluster.</param>
    /// <param name="extra">Settings added to (or replacing) the defaults.</param>
    /// <param name="configure">Services of the test (an operation handler), added after the defaults at every start.</param>
    public static async Task<ControlPlaneHost> StartAsync(PostgresFixture postgres, IDictionary<string, string?>? extra = null, Action<WebApplicationBuilder>? configure = null)
    {
        var (database, connectionString) = await postgres.CreateMigratedDatabaseAsync();
        var temp = new TempDirectory("piramid-cp");
        var platformKey = temp.Combine("platform.key");
        await File.WriteAllTextAsync(platformKey, Convert.ToBase64String(RandomNumberGenerator.GetBytes(32)));
        if (!OperatingSystem.IsWindows())
        {
            File.SetUnixFileMode(platformKey, UnixFileMode.UserRead | UnixFileMode.UserWrite);
        }
        var url = $"http://127.0.0.1:{LoopbackPort.GetFree()}";
        var settings = new Dictionary<string, string?>
        {
            ["ConnectionStrings:ControlPlane"] = connectionString,
            ["Identity:Issuer"] = url + "/",
            ["Identity:SigningKeyFile"] = temp.Combine("signing-key.json"),
            ["Orchestrator:StateDirectory"] = temp.Combine("state"),
            ["Orchestrator:EngineBinary"] = EngineBinary.ForOtherUsers(),
            ["Orchestrator:PlatformKeyFile"] = platformKey,
            ["Orchestrator:HealthInterval"] = "00:00:00.200",
            ["Backups:Directory"] = temp.Combine("backups"),
            ["Logging:LogLevel:Default"] = "Information",
            // Request logging on (appsettings.json turns it off in production): leak checks read these lines.
            ["Logging:LogLevel:Microsoft.AspNetCore"] = "Information",
        };
        foreach (var (k, v) in extra ?? new Dictionary<string, string?>())
        {
            settings[k] = v;
        }

        var logs = new CapturingLoggerProvider();
        var app = Build(settings, url, logs, configure);
        try
        {
            await app.StartAsync();
        }
        catch
        {
            // A host that never started is never disposed by its test: its keys must not stay in /tmp.
            await app.DisposeAsync();
            temp.Dispose();
            throw;
        }

        var host = new ControlPlaneHost(app, temp, new Uri(url), database, logs, settings, configure);
        await using var scope = app.Services.CreateAsyncScope();
        var bootstrapper = scope.ServiceProvider.GetRequiredService<OperatorBootstrapper>();
        host.Operator = await bootstrapper.EnsureBootstrapOperatorAsync() ?? throw new InvalidOperationException("bootstrap returned nothing");
        host.Gateway = await bootstrapper.CreateMachineClientAsync("gateway", ["gateway"]);
        return host;
    }

    /// <summary>
    /// Stops the control plane (its engines keep running, as in production) and starts a new instance on the
    /// same database, keys, state directory and port.
    /// </summary>
    public async Task RestartAsync()
    {
        await StopAsync();
        await StartAgainAsync();
    }

    /// <summary>Stops the control plane only (its engines keep running), so that another process may take its place.</summary>
    public async Task StopAsync()
    {
        await App.StopAsync();
        await App.DisposeAsync();
    }

    /// <summary>Starts a new instance after <see cref="StopAsync"/>, on the same database, keys, state directory and port.</summary>
    public async Task StartAgainAsync()
    {
        App = Build(_settings, BaseAddress.ToString().TrimEnd('/'), Logs, _configure);
        await App.StartAsync();
    }

    /// <summary>The configuration this host runs with (for a control plane started as a separate process on the same state).</summary>
    public IReadOnlyDictionary<string, string?> Settings => _settings;

    private static WebApplication Build(Dictionary<string, string?> settings, string url, CapturingLoggerProvider logs, Action<WebApplicationBuilder>? configure) =>
        ControlPlaneApp.Build([], b =>
        {
            b.WebHost.UseUrls(url);
            b.Configuration.AddInMemoryCollection(settings);
            b.Logging.AddProvider(logs);
            configure?.Invoke(b);
        });

    /// <summary>A client with a bearer token for <paramref name="credentials"/> (or none).</summary>
    public async Task<HttpClient> ClientAsync(ClientCredentials? credentials)
    {
        var http = new HttpClient { BaseAddress = BaseAddress, Timeout = TimeSpan.FromSeconds(60) };
        if (credentials is not null)
        {
            http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", await TokenAsync(credentials));
        }

        return http;
    }

    /// <summary>Client credentials grant at /connect/token.</summary>
    public async Task<string> TokenAsync(ClientCredentials credentials)
    {
        using var http = new HttpClient { BaseAddress = BaseAddress };
        using var form = new FormUrlEncodedContent(new Dictionary<string, string>
        {
            ["grant_type"] = "client_credentials",
            ["client_id"] = credentials.ClientId,
            ["client_secret"] = credentials.ClientSecret,
        });
        using var response = await http.PostAsync(new Uri("/connect/token", UriKind.Relative), form);
        var body = await response.Content.ReadFromJsonAsync<JsonObject>();
        return body?["access_token"]?.GetValue<string>() ?? throw new InvalidOperationException($"no token: {(int)response.StatusCode} {body}");
    }

    /// <summary>Stops the app, its engines, and deletes the state.</summary>
    public async ValueTask DisposeAsync()
    {
        await using (var scope = App.Services.CreateAsyncScope())
        {
            var orchestrator = scope.ServiceProvider.GetRequiredService<Piramid.ControlPlane.Orchestration.IEngineOrchestrator>();
            foreach (var route in orchestrator.GetRoutes())
            {
                await orchestrator.PurgeAsync(route.TenantId, CancellationToken.None);
            }
        }

        await App.StopAsync();
        await App.DisposeAsync();
        _temp.Dispose();
    }

    /// <summary>JSON options of the API.</summary>
    public static readonly JsonSerializerOptions Json = Piramid.Contracts.Json.WireJson.Options;
}
