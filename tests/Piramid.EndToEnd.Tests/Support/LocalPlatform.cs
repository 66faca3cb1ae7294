using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using Piramid.TestKit;

namespace Piramid.EndToEnd.Tests.Support;

/// <summary>
/// The whole platform started exactly as a user starts it: <c>./piramid up --no-build</c> (the build from
/// <c>./piramid test</c>), with its own state directory and ports so it never touches a developer's stack.
/// Connection details come from the <c>local.json</c> that <c>up</c> writes.
/// </summary>
public sealed class LocalPlatform : IAsyncLifetime
{
    /// <summary>The state directory (PIRAMID_STATE_DIR).</summary>
    public string State { get; } = Path.Combine(Path.GetTempPath(), "piramid-e2e-" + Guid.NewGuid().ToString("N")[..12]);

    /// <summary>
    /// Where the state other users' processes reach lives (the PostgreSQL cluster, the engines): the state
    /// directory itself, or as root a directory outside it (docs/design/local-state.md).
    /// </summary>
    public string SharedDirectory => File.ReadAllText(Path.Combine(State, "shared-dir")).Trim();

    /// <summary>The <c>local.json</c> of the last <c>up</c>.</summary>
    public JsonObject Local { get; private set; } = [];

    /// <summary>Output of the last script run (for failure messages).</summary>
    public string LastOutput { get; private set; } = string.Empty;

    /// <summary>The gateway's base address.</summary>
    public Uri Gateway => new(Local["gateway_url"]!.GetValue<string>());

    /// <inheritdoc />
    public Task InitializeAsync() => UpAsync();

    /// <inheritdoc />
    public Task DisposeAsync() => RunAsync("purge", "--yes");

    /// <summary>Runs <c>./piramid up --no-build</c> (and <paramref name="options"/>) and reloads <c>local.json</c>.</summary>
    public async Task UpAsync(params string[] options)
    {
        await RunAsync(["up", "--no-build", .. options]);
        Local = JsonNode.Parse(await File.ReadAllTextAsync(Path.Combine(State, "local.json")))!.AsObject();
    }

    /// <summary>Runs <c>./piramid down</c>.</summary>
    public Task DownAsync() => RunAsync("down");

    /// <summary>Runs <c>./piramid status</c>; answers what it printed.</summary>
    public async Task<string> StatusAsync()
    {
        await RunAsync("status");
        return LastOutput;
    }

    /// <summary>Process id of a service the script started (<c>control-plane</c>, <c>gateway</c>).</summary>
    public int ServicePid(string name) => int.Parse(File.ReadAllText(Path.Combine(State, "run", name + ".pid")).Trim(), System.Globalization.CultureInfo.InvariantCulture);

    /// <summary>The engine process of a tenant, found the way an operator would: by its environment.</summary>
    public int? EnginePid(string tenantId)
    {
        foreach (var dir in Directory.EnumerateDirectories("/proc"))
        {
            if (!int.TryParse(Path.GetFileName(dir), out var pid))
            {
                continue;
            }

            try
            {
                var environment = File.ReadAllText(Path.Combine(dir, "environ")).Split('\0');
                if (environment.Contains($"Engine__TenantId={tenantId}") && environment.Any(e => e.StartsWith($"Engine__DataDirectory={SharedDirectory}/engines/", StringComparison.Ordinal)))
                {
                    return pid;
                }
            }
            catch (IOException)
            {
                // The process ended while we looked.
            }
            catch (UnauthorizedAccessException)
            {
            }
        }

        return null;
    }

    /// <summary>An operator's client on the gateway (client credentials through the gateway's /connect/token).</summary>
    public async Task<HttpClient> OperatorAsync()
    {
        using var http = new HttpClient { BaseAddress = Gateway };
        using var form = new FormUrlEncodedContent(new Dictionary<string, string>
        {
            ["grant_type"] = "client_credentials",
            ["client_id"] = Local["operator_client_id"]!.GetValue<string>(),
            ["client_secret"] = Local["operator_client_secret"]!.GetValue<string>(),
        });
        using var response = await http.PostAsync(new Uri("/connect/token", UriKind.Relative), form);
        response.EnsureSuccessStatusCode();
        var token = (await response.Content.ReadFromJsonAsync<JsonObject>())!["access_token"]!.GetValue<string>();
        var admin = new HttpClient { BaseAddress = Gateway, Timeout = TimeSpan.FromSeconds(60) };
        admin.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", token);
        return admin;
    }

    /// <summary>A tenant's client on the gateway.</summary>
    public HttpClient Tenant(string apiKey)
    {
        var http = new HttpClient { BaseAddress = Gateway, Timeout = TimeSpan.FromSeconds(60) };
        http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", apiKey);
        return http;
    }

    /// <summary>As an operator: a new tenant and an admin key; waits until the gateway routes it.</summary>
    public async Task<(string TenantId, HttpClient Client)> NewTenantAsync(string name)
    {
        using var admin = await OperatorAsync();
        using var created = await admin.PostAsJsonAsync("/v1/tenants", new { name });
        created.EnsureSuccessStatusCode();
        var tenantId = (await created.Content.ReadFromJsonAsync<JsonObject>())!["id"]!.GetValue<string>();
        using var key = await admin.PostAsJsonAsync($"/v1/tenants/{tenantId}/api-keys", new { name = "e2e", role = "admin" });
        key.EnsureSuccessStatusCode();
        var client = Tenant((await key.Content.ReadFromJsonAsync<JsonObject>())!["key"]!.GetValue<string>());
        await Eventually.SucceedsAsync(client, "/v1/collections", TimeSpan.FromSeconds(30));
        return (tenantId, client);
    }

    private async Task RunAsync(params string[] args) =>
        LastOutput = (await PiramidScript.RunCheckedAsync(RepositoryPaths.Root, State, args)).Output;
}
