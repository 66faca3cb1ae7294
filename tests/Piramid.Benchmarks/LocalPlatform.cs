using System.Globalization;
using System.Net.Http.Json;
using System.Text.Json.Nodes;

namespace Piramid.Benchmarks;

/// <summary>What the modes that measure a running platform read of it: its run files and an access token.</summary>
internal static class LocalPlatform
{
    /// <summary>A client-credentials access token from the control plane.</summary>
    public static async Task<string> TokenAsync(Uri controlPlaneUrl, string clientId, string clientSecret)
    {
        using var http = new HttpClient { BaseAddress = controlPlaneUrl };
        using var form = new FormUrlEncodedContent(new Dictionary<string, string>
        {
            ["grant_type"] = "client_credentials",
            ["client_id"] = clientId,
            ["client_secret"] = clientSecret,
        });
        using var response = await http.PostAsync(new Uri("/connect/token", UriKind.Relative), form);
        response.EnsureSuccessStatusCode();
        return (await response.Content.ReadFromJsonAsync<JsonObject>())!["access_token"]!.GetValue<string>();
    }

    /// <summary>What <c>./piramid up</c> wrote in <c>credentials.json</c>: the operator's and the gateway's client credentials.</summary>
    public static JsonNode Credentials(string state) =>
        JsonNode.Parse(File.ReadAllText(Path.Combine(state, "credentials.json")))!;

    /// <summary>A client of the control plane with the operator's access token.</summary>
    public static async Task<HttpClient> OperatorAsync(Uri controlPlaneUrl, JsonNode credentials, TimeSpan timeout)
    {
        var admin = new HttpClient { BaseAddress = controlPlaneUrl, Timeout = timeout };
        admin.DefaultRequestHeaders.Authorization = new System.Net.Http.Headers.AuthenticationHeaderValue("Bearer",
            await TokenAsync(controlPlaneUrl, credentials["operator_client_id"]!.GetValue<string>(), credentials["operator_client_secret"]!.GetValue<string>()));
        return admin;
    }

    // ./piramid keeps each service's port and pid in <state>/run/<name>.port and .pid.

    /// <summary>The loopback URL of a service started by <c>./piramid up</c>.</summary>
    public static string PortUrl(string state, string name) =>
        $"http://127.0.0.1:{File.ReadAllText(RunFile(state, name, "port")).Trim()}/";

    /// <summary>The pid of a service started by <c>./piramid up</c>, if it recorded one.</summary>
    public static int? ReadPid(string state, string name) =>
        File.Exists(RunFile(state, name, "pid"))
            ? int.Parse(File.ReadAllText(RunFile(state, name, "pid")).Trim(), CultureInfo.InvariantCulture)
            : null;

    private static string RunFile(string state, string name, string kind) => Path.Combine(state, "run", $"{name}.{kind}");
}
