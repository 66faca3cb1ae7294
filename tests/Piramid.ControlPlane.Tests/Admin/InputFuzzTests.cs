using System.Net;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Piramid.ControlPlane.Tests.Support;

namespace Piramid.ControlPlane.Tests.Admin;

/// <summary>
/// Random and mutated bodies and query strings against every admin, internal, token and login route (fixed
/// seed, bounded count): never a 5xx, every 4xx a problem+json (the OAuth error object at /connect/), and a
/// refused request leaves every table as it was.
/// </summary>
[Collection(PostgresCollection.Name)]
public sealed class InputFuzzTests(PostgresFixture postgres)
{
    private const int Seed = 20261205;

    private const int Requests = 400;

    [Fact]
    public async Task FuzzedRequests_NeverA5xx_EveryRefusalIsAProblem_NothingHalfWritten()
    {
        await using var host = await ControlPlaneHost.StartAsync(postgres);
        using var operatorClient = await host.ClientAsync(host.Operator);
        using var gatewayClient = await host.ClientAsync(host.Gateway);
        using var anonymous = await host.ClientAsync(null);
        using var tenant = await operatorClient.PostAsync("/v1/tenants", new StringContent("""{"name":"fuzzed"}""", Encoding.UTF8, "application/json"));
        var tenantId = JsonNode.Parse(await tenant.Content.ReadAsStringAsync())!["id"]!.GetValue<string>();
        using var key = await operatorClient.PostAsync($"/v1/tenants/{tenantId}/api-keys", new StringContent("""{"name":"k","role":"admin"}""", Encoding.UTF8, "application/json"));
        var keyId = JsonNode.Parse(await key.Content.ReadAsStringAsync())!["id"]!.GetValue<string>();

        var fuzzer = new RequestFuzzer(new Random(Seed), tenantId, keyId);
        var failures = new List<string>();
        var statuses = new SortedDictionary<int, int>();
        for (var i = 0; i < Requests && failures.Count < 10; i++)
        {
            var fuzzed = fuzzer.Next();
            var before = await DatabaseFingerprint.TakeAsync(host);
            var http = fuzzed.Caller switch { "o" => operatorClient, "g" => gatewayClient, _ => anonymous };
            using var request = new HttpRequestMessage(new HttpMethod(fuzzed.Method), new Uri(fuzzed.PathAndQuery, UriKind.Relative));
            if (fuzzed.Body is not null)
            {
                request.Content = new ByteArrayContent(Encoding.UTF8.GetBytes(fuzzed.Body));
                request.Content.Headers.TryAddWithoutValidation("Content-Type", fuzzed.ContentType);
            }

            if (fuzzed.Caller == "g")
            {
                // As the gateway vouches for an admin key of the fuzzed tenant.
                request.Headers.Add(Contracts.HeaderNames.KeyTenant, tenantId);
                request.Headers.Add(Contracts.HeaderNames.KeyRole, "admin");
            }

            if (fuzzed.IdempotencyKey is not null)
            {
                request.Headers.Add("Idempotency-Key", fuzzed.IdempotencyKey);
            }

            using var response = await http.SendAsync(request);
            var status = (int)response.StatusCode;
            statuses[status] = statuses.GetValueOrDefault(status) + 1;
            var text = await response.Content.ReadAsStringAsync();
            var problem = Check(fuzzed, response, text);
            if (problem is null && status >= 400 && await DatabaseFingerprint.TakeAsync(host) != before)
            {
                problem = "a refused request changed the database";
            }

            if (problem is not null)
            {
                failures.Add($"#{i} {fuzzed.Caller} {fuzzed.Method} {fuzzed.PathAndQuery} [{fuzzed.ContentType}] {fuzzed.Body}\n  -> {status}: {problem}\n  {Shorten(text)}");
            }
        }

        Assert.True(failures.Count == 0, string.Join("\n", failures));
        // The run reached past the binder: some requests succeeded and many were refused for their content.
        Assert.True(statuses.Where(s => s.Key < 300).Sum(s => s.Value) > 20, string.Join(", ", statuses));
        Assert.True(statuses.GetValueOrDefault(400) > 100, string.Join(", ", statuses));
    }

    private static string? Check(FuzzedRequest fuzzed, HttpResponseMessage response, string text)
    {
        var status = (int)response.StatusCode;
        if (status >= 500)
        {
            return "a server error";
        }

        if (status < 400)
        {
            return null;
        }

        // Kestrel itself refuses a NUL in the path before any middleware; nothing of ours ran.
        var path = fuzzed.PathAndQuery.Split('?')[0];
        if (status == 400 && text.Length == 0 && path.Contains("%00", StringComparison.Ordinal))
        {
            return null;
        }

        JsonNode? body;
        try
        {
            body = JsonNode.Parse(text);
        }
        catch (JsonException)
        {
            return "the body is not JSON";
        }

        if (path.StartsWith("/connect/", StringComparison.Ordinal))
        {
            return body?["error"] is null ? "no OAuth 'error'" : null;
        }

        if (response.Content.Headers.ContentType?.MediaType != "application/problem+json")
        {
            return $"content type {response.Content.Headers.ContentType}";
        }

        return body?["type"] is null || body["detail"]?.GetValue<string>() is not { Length: > 0 } ? "no type or detail" : null;
    }

    private static string Shorten(string text) => text.Length > 400 ? text[..400] : text;
}
