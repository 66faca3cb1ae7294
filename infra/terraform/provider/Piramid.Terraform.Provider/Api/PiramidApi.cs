using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace Piramid.Terraform.Provider.Api;

/// <summary>
/// The calls the resources make, through the gateway: JSON in and out (JsonNode, no reflection, for Native AOT),
/// problem+json answers thrown as <see cref="ApiProblemException"/>. Retries 429 and 503 (an engine that is still starting
/// right after its tenant was created) after their Retry-After.
/// </summary>
public sealed class PiramidApi(PiramidCredentials credentials, HttpClient http, TimeProvider time) : IDisposable
{
    private const int MaxAttempts = 6;
    private static readonly TimeSpan MaxRetryWait = TimeSpan.FromSeconds(10);
    private readonly SemaphoreSlim _tokenLock = new(1, 1);
    private string? _token;
    private DateTimeOffset _tokenExpires;

    /// <summary>The credentials in use.</summary>
    public PiramidCredentials Credentials => credentials;

    /// <inheritdoc />
    public void Dispose() => _tokenLock.Dispose();

    /// <summary>GET; null body on 204.</summary>
    public Task<JsonNode?> GetAsync(string path, CancellationToken ct) => SendAsync(HttpMethod.Get, path, null, ct);

    /// <summary>POST a JSON body.</summary>
    public Task<JsonNode?> PostAsync(string path, JsonNode? body, CancellationToken ct) => SendAsync(HttpMethod.Post, path, body, ct);

    /// <summary>PUT a JSON body.</summary>
    public Task<JsonNode?> PutAsync(string path, JsonNode? body, CancellationToken ct) => SendAsync(HttpMethod.Put, path, body, ct);

    /// <summary>PATCH a JSON body.</summary>
    public Task<JsonNode?> PatchAsync(string path, JsonNode? body, CancellationToken ct) => SendAsync(HttpMethod.Patch, path, body, ct);

    /// <summary>DELETE.</summary>
    public Task<JsonNode?> DeleteAsync(string path, CancellationToken ct) => SendAsync(HttpMethod.Delete, path, null, ct);

    private async Task<JsonNode?> SendAsync(HttpMethod method, string path, JsonNode? body, CancellationToken ct)
    {
        // One key for every attempt of a write: a retried create does not create twice.
        var idempotencyKey = method == HttpMethod.Get ? null : Guid.NewGuid().ToString("N");
        for (var attempt = 1; ; attempt++)
        {
            using var request = new HttpRequestMessage(method, new Uri(credentials.Endpoint, path));
            request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", await CredentialAsync(ct));
            if (idempotencyKey is not null)
            {
                request.Headers.Add("Idempotency-Key", idempotencyKey);
            }

            if (body is not null)
            {
                request.Content = new StringContent(body.ToJsonString(), Encoding.UTF8, "application/json");
            }

            using var response = await http.SendAsync(request, ct);
            var text = await response.Content.ReadAsStringAsync(ct);
            if (response.IsSuccessStatusCode)
            {
                return text.Length == 0 ? null : JsonNode.Parse(text);
            }

            if (attempt < MaxAttempts && response.StatusCode is HttpStatusCode.TooManyRequests or HttpStatusCode.ServiceUnavailable)
            {
                var wait = response.Headers.RetryAfter?.Delta ?? TimeSpan.FromSeconds(attempt);
                await Task.Delay(wait < MaxRetryWait ? wait : MaxRetryWait, time, ct);
                continue;
            }

            throw Problem((int)response.StatusCode, text);
        }
    }

    private async Task<string> CredentialAsync(CancellationToken ct)
    {
        if (credentials.ApiKey is { } key)
        {
            return key;
        }

        await _tokenLock.WaitAsync(ct);
        try
        {
            // Tokens live 15 minutes; take a new one a minute before the old one ends.
            if (_token is null || time.GetUtcNow() >= _tokenExpires - TimeSpan.FromMinutes(1))
            {
                using var form = new FormUrlEncodedContent(new Dictionary<string, string>
                {
                    ["grant_type"] = "client_credentials",
                    ["client_id"] = credentials.ClientId ?? "",
                    ["client_secret"] = credentials.ClientSecret ?? "",
                });
                using var response = await http.PostAsync(new Uri(credentials.Endpoint, "/connect/token"), form, ct);
                var text = await response.Content.ReadAsStringAsync(ct);
                if (!response.IsSuccessStatusCode)
                {
                    throw Problem((int)response.StatusCode, text);
                }

                var answer = JsonNode.Parse(text)!;
                _token = answer["access_token"]!.GetValue<string>();
                _tokenExpires = time.GetUtcNow() + TimeSpan.FromSeconds(answer["expires_in"]?.GetValue<int>() ?? 300);
            }

            return _token;
        }
        finally
        {
            _tokenLock.Release();
        }
    }

    private static ApiProblemException Problem(int status, string text)
    {
        try
        {
            if (JsonNode.Parse(text) is JsonObject problem)
            {
                // OAuth errors (the token endpoint) carry error/error_description instead of a problem.
                return new ApiProblemException(status,
                    (string?)problem["type"] ?? (string?)problem["error"] ?? "about:blank",
                    (string?)problem["title"] ?? (string?)problem["error"] ?? $"HTTP {status}",
                    (string?)problem["detail"] ?? (string?)problem["error_description"] ?? text);
            }
        }
        catch (JsonException)
        {
        }

        return new ApiProblemException(status, "about:blank", $"HTTP {status}", text.Length > 500 ? text[..500] : text);
    }
}
