using System.Net;
using System.Net.Http.Headers;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json.Nodes;
using Microsoft.IdentityModel.Tokens;
using Piramid.ControlPlane.Identity;
using Piramid.Gateway.Tests.Support;
using Piramid.TestKit.Platform;

namespace Piramid.Gateway.Tests;

/// <summary>
/// The admin API through the gateway: only the control plane's own, unexpired, RS256-signed tokens for our
/// audience pass, and only an operator's reach the admin API. Tokens are forged by editing one claim of a
/// real operator token and re-signing; re-signing the untouched token reproduces it byte for byte, which
/// proves each refusal is caused by that one edit.
/// </summary>
[Collection(GatewayCollection.Name)]
public sealed class AdminJwtTests(PostgresFixture postgres)
{
    [Fact]
    public async Task AdminApi_AcceptsOnlyGenuineOperatorTokens_AndRefusesEveryForgeryWithTheSame401()
    {
        await using var platform = await PlatformHost.StartAsync(postgres);
        var genuine = await platform.ControlPlane.TokenAsync(platform.ControlPlane.Operator);
        using var keys = IdentityKeys.LoadOrCreate(platform.ControlPlane.SigningKeyFile);
        var rsa = keys.SigningKey.Rsa!;
        var parts = genuine.Split('.');
        var header = JsonNode.Parse(Base64UrlEncoder.Decode(parts[0]))!.AsObject();
        var payload = JsonNode.Parse(Base64UrlEncoder.Decode(parts[1]))!.AsObject();
        Assert.Equal(genuine, $"{parts[0]}.{parts[1]}.{Sign(rsa, $"{parts[0]}.{parts[1]}")}");

        Assert.Equal(HttpStatusCode.OK, await StatusAsync(platform, genuine));
        Assert.Equal(HttpStatusCode.OK, await StatusAsync(platform, Resign(rsa, header, payload, _ => { })));

        var now = DateTimeOffset.UtcNow.ToUnixTimeSeconds();
        using var otherKey = RSA.Create(2048);
        var refused = new Dictionary<string, string>
        {
            ["expired beyond the 30 s skew"] = Resign(rsa, header, payload, p => { p["exp"] = now - 45; p["iat"] = now - 600; p["nbf"] = now - 600; }),
            ["not yet valid"] = Resign(rsa, header, payload, p => p["nbf"] = now + 300),
            ["other audience"] = Resign(rsa, header, payload, p => p["aud"] = "someone-else"),
            ["other issuer"] = Resign(rsa, header, payload, p => p["iss"] = "https://evil.example/"),
            ["signed with another key"] = Resign(otherKey, header, payload, _ => { }),
            ["payload edited after signing"] = $"{parts[0]}.{Encode(Mutate(payload, p => p["sub"] = "someone"))}.{parts[2]}",
            ["alg none"] = $"{Encode(Mutate(header, h => { h["alg"] = "none"; }))}.{parts[1]}.",
            ["alg HS256 with the public key as secret"] = Hs256(header, payload, rsa.ExportSubjectPublicKeyInfo()),
            ["garbage"] = "not-a-token",
            ["an API key"] = "pk_0123456789abcdef_AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA",
        };

        var bodies = new HashSet<string>();
        foreach (var (why, token) in refused)
        {
            using var http = Client(platform, token);
            using var response = await http.GetAsync(new Uri("/v1/tenants", UriKind.Relative));
            Assert.True(response.StatusCode == HttpStatusCode.Unauthorized, $"{why}: {(int)response.StatusCode}");
            var body = JsonNode.Parse(await response.Content.ReadAsStringAsync())!.AsObject();
            bodies.Add($"{body["type"]}|{body["title"]}|{body["detail"]}");
        }

        using var noCredential = Client(platform, null);
        using var anonymous = await noCredential.GetAsync(new Uri("/v1/tenants", UriKind.Relative));
        Assert.Equal(HttpStatusCode.Unauthorized, anonymous.StatusCode);
        Assert.Single(bodies);
    }

    [Fact]
    public async Task AdminApi_RefusesAValidNonOperatorToken_With403()
    {
        await using var platform = await PlatformHost.StartAsync(postgres);
        var gatewayToken = await platform.ControlPlane.TokenAsync(platform.ControlPlane.Gateway);

        using var http = Client(platform, gatewayToken);
        var (status, type, _) = await Probe.ProblemAsync(await http.GetAsync(new Uri("/v1/tenants", UriKind.Relative)));
        Assert.Equal(403, status);
        Assert.Equal(Contracts.Problems.ProblemTypes.Forbidden, type);
        Assert.Equal(403, (await Probe.ProblemAsync(await http.PostAsync(new Uri("/v1/tenants", UriKind.Relative), JsonContent("{\"name\":\"x\"}")))).Status);
    }

    [Fact]
    public async Task TokenEndpoint_IsReachableThroughTheGateway_AndItsTokensWork()
    {
        await using var platform = await PlatformHost.StartAsync(postgres);
        using var http = Client(platform, null);
        using var form = new FormUrlEncodedContent(new Dictionary<string, string>
        {
            ["grant_type"] = "client_credentials",
            ["client_id"] = platform.ControlPlane.Operator.ClientId,
            ["client_secret"] = platform.ControlPlane.Operator.ClientSecret,
        });
        using var response = await http.PostAsync(new Uri("/connect/token", UriKind.Relative), form);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var token = JsonNode.Parse(await response.Content.ReadAsStringAsync())!["access_token"]!.GetValue<string>();

        using var created = await Client(platform, token).PostAsync(new Uri("/v1/tenants", UriKind.Relative), JsonContent("{\"name\":\"via-gateway\"}"));
        Assert.Equal(HttpStatusCode.Created, created.StatusCode);
    }

    [Fact]
    public async Task DeletedTenantsKey_IsRefused()
    {
        await using var platform = await PlatformHost.StartAsync(postgres);
        var (tenantId, key) = await platform.TenantWithKeyAsync("short-lived");
        using var tenant = platform.Client(key);
        await Probe.WaitRoutedAsync(tenant);

        using var admin = await platform.ControlPlane.ClientAsync(platform.ControlPlane.Operator);
        (await admin.DeleteAsync(new Uri($"/v1/tenants/{tenantId}", UriKind.Relative))).EnsureSuccessStatusCode();

        var deadline = DateTime.UtcNow.AddSeconds(15);
        while (true)
        {
            using var response = await tenant.GetAsync(new Uri("/v1/collections", UriKind.Relative));
            if (response.StatusCode == HttpStatusCode.Unauthorized)
            {
                break;
            }

            Assert.True(DateTime.UtcNow < deadline, $"deleted tenant's key still answered {(int)response.StatusCode}");
            await Task.Delay(100);
        }
    }

    private static async Task<HttpStatusCode> StatusAsync(PlatformHost platform, string token)
    {
        using var http = Client(platform, token);
        using var response = await http.GetAsync(new Uri("/v1/tenants", UriKind.Relative));
        return response.StatusCode;
    }

    private static HttpClient Client(PlatformHost platform, string? token)
    {
        var http = new HttpClient { BaseAddress = platform.GatewayAddress, Timeout = TimeSpan.FromSeconds(60) };
        if (token is not null)
        {
            http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", token);
        }

        return http;
    }

    private static StringContent JsonContent(string json) => new(json, Encoding.UTF8, "application/json");

    private static string Resign(RSA key, JsonObject header, JsonObject payload, Action<JsonObject> edit)
    {
        var signed = $"{Encode(header)}.{Encode(Mutate(payload, edit))}";
        return $"{signed}.{Sign(key, signed)}";
    }

    private static string Hs256(JsonObject header, JsonObject payload, byte[] secret)
    {
        var signed = $"{Encode(Mutate(header, h => h["alg"] = "HS256"))}.{Encode(payload)}";
        return $"{signed}.{Base64UrlEncoder.Encode(HMACSHA256.HashData(secret, Encoding.ASCII.GetBytes(signed)))}";
    }

    private static JsonObject Mutate(JsonObject source, Action<JsonObject> edit)
    {
        var copy = JsonNode.Parse(source.ToJsonString())!.AsObject();
        edit(copy);
        return copy;
    }

    private static string Encode(JsonObject json) => Base64UrlEncoder.Encode(Encoding.UTF8.GetBytes(json.ToJsonString()));

    private static string Sign(RSA key, string signed) =>
        Base64UrlEncoder.Encode(key.SignData(Encoding.ASCII.GetBytes(signed), HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1));
}
