using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace Piramid.DataPlane.Tests.Support;

/// <summary>Small JSON helpers over HttpClient for the engine's API.</summary>
public static class ApiCalls
{
    /// <summary>snake_case like the API.</summary>
    public static readonly JsonSerializerOptions Json = Piramid.Contracts.Json.WireJson.Options;

    /// <summary>Sends JSON text as-is (so tests can send malformed bodies).</summary>
    public static async Task<(HttpStatusCode Status, JsonNode? Body, string Raw, string? ContentType)> SendRawAsync(
        this HttpClient http, HttpMethod method, string path, string? body)
    {
        using var request = new HttpRequestMessage(method, path);
        if (body is not null)
        {
            request.Content = new StringContent(body, Encoding.UTF8, "application/json");
        }

        using var response = await http.SendAsync(request);
        var raw = await response.Content.ReadAsStringAsync();
        JsonNode? node = null;
        if (raw.Length > 0)
        {
            try
            {
                node = JsonNode.Parse(raw);
            }
            catch (JsonException)
            {
                node = null;
            }
        }

        return (response.StatusCode, node, raw, response.Content.Headers.ContentType?.MediaType);
    }

    /// <summary>Sends an object as JSON.</summary>
    public static Task<(HttpStatusCode Status, JsonNode? Body, string Raw, string? ContentType)> SendAsync(
        this HttpClient http, HttpMethod method, string path, object? body = null) =>
        http.SendRawAsync(method, path, body is null ? null : JsonSerializer.Serialize(body, Json));

    /// <summary>Sends and requires a success status.</summary>
    public static async Task<JsonNode> OkAsync(this HttpClient http, HttpMethod method, string path, object? body = null)
    {
        var (status, node, raw, _) = await http.SendAsync(method, path, body);
        if ((int)status >= 300)
        {
            throw new InvalidOperationException($"{method} {path} -> {(int)status}: {raw}");
        }

        return node ?? new JsonObject();
    }

    /// <summary>Creates a collection.</summary>
    public static Task<JsonNode> CreateCollectionAsync(this HttpClient http, string name, int dimension, string metric = "cosine", string index = "flat") =>
        http.OkAsync(HttpMethod.Put, $"/v1/collections/{name}", new { dimension, metric, index = new { type = index } });

    /// <summary>Every point of a collection, by scrolling, with vectors and metadata.</summary>
    public static async Task<Dictionary<string, JsonNode>> ScrollAllAsync(this HttpClient http, string collection)
    {
        var all = new Dictionary<string, JsonNode>(StringComparer.Ordinal);
        string? cursor = null;
        do
        {
            var page = await http.OkAsync(HttpMethod.Post, $"/v1/collections/{collection}/scroll",
                new { limit = 1000, cursor, include_vector = true });
            foreach (var p in page["points"]!.AsArray())
            {
                all.Add(p!["id"]!.GetValue<string>(), p);
            }

            cursor = page["next_cursor"]?.GetValue<string>();
        }
        while (cursor is not null);
        return all;
    }

    /// <summary>Asserts a problem+json error with a status and a detail.</summary>
    public static void AssertProblem((HttpStatusCode Status, JsonNode? Body, string Raw, string? ContentType) response, int status, string? detailContains = null)
    {
        Assert.True((int)response.Status == status, $"expected {status}, got {(int)response.Status}: {response.Raw}");
        Assert.Equal("application/problem+json", response.ContentType);
        Assert.StartsWith("https://piramid.dev/problems/", response.Body?["type"]?.GetValue<string>());
        var detail = response.Body?["detail"]?.GetValue<string>() ?? string.Empty;
        Assert.False(string.IsNullOrWhiteSpace(detail), "problem has no detail: " + response.Raw);
        if (detailContains is not null)
        {
            Assert.Contains(detailContains, detail, StringComparison.OrdinalIgnoreCase);
        }
    }
}
