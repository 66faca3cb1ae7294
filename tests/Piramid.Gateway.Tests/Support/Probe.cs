using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;

namespace Piramid.Gateway.Tests.Support;

/// <summary>Small HTTP helpers shared by the gateway tests.</summary>
public static class Probe
{
    /// <summary>Waits until the key's tenant is routed (its engine is up and the change feed arrived).</summary>
    public static async Task WaitRoutedAsync(HttpClient http)
    {
        var deadline = DateTime.UtcNow.AddSeconds(15);
        while (true)
        {
            using var response = await http.GetAsync(new Uri("/v1/collections", UriKind.Relative));
            if (response.StatusCode == HttpStatusCode.OK)
            {
                return;
            }

            Assert.True(DateTime.UtcNow < deadline, $"never routed: {(int)response.StatusCode} {await response.Content.ReadAsStringAsync()}\n{string.Join('\n', PlatformHost.Logs.Text.Split('\n').Where(l => l.Contains("Warning") || l.Contains("Error")).TakeLast(15))}");
            await Task.Delay(100);
        }
    }

    /// <summary>Status, type and title of a problem response (disposes it).</summary>
    public static async Task<(int Status, string? Type, string? Title)> ProblemAsync(HttpResponseMessage response)
    {
        using (response)
        {
            var node = JsonNode.Parse(await response.Content.ReadAsStringAsync());
            return ((int)response.StatusCode, node?["type"]?.GetValue<string>(), node?["title"]?.GetValue<string>());
        }
    }

    /// <summary>How many points the collection holds, through the gateway.</summary>
    public static async Task<long> CountAsync(HttpClient http, string collection)
    {
        using var response = await http.PostAsJsonAsync($"/v1/collections/{collection}/count", new { });
        Assert.True(response.IsSuccessStatusCode, $"count: {(int)response.StatusCode} {await response.Content.ReadAsStringAsync()}");
        return (await response.Content.ReadFromJsonAsync<JsonObject>())!["count"]!.GetValue<long>();
    }
}
