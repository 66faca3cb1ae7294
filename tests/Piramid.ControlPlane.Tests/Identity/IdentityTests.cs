using System.Net;
using System.Net.Http.Json;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json.Nodes;
using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.IdentityModel.Tokens;
using Piramid.ControlPlane.Identity;
using Piramid.ControlPlane.Tests.Support;

namespace Piramid.ControlPlane.Tests.Identity;

/// <summary>OpenIddict as configured for the platform, over real HTTP and PostgreSQL.</summary>
[Collection(PostgresCollection.Name)]
public sealed class IdentityTests(PostgresFixture postgres)
{
    [Fact]
    public async Task Bootstrap_IsIdempotent_AndGivesTheSecretOnlyOnce()
    {
        await using var host = await ControlPlaneHost.StartAsync(postgres);
        await using var scope = host.App.Services.CreateAsyncScope();
        var bootstrapper = scope.ServiceProvider.GetRequiredService<OperatorBootstrapper>();
        Assert.Null(await bootstrapper.EnsureBootstrapOperatorAsync());
        Assert.Null(await bootstrapper.EnsureBootstrapOperatorAsync());
        Assert.Equal(OperatorBootstrapper.BootstrapClientId, host.Operator.ClientId);
        Assert.DoesNotContain(host.Operator.ClientSecret, await postgres.Server.DumpAsync(host.Database), StringComparison.Ordinal);
    }

    [Fact]
    public async Task ClientCredentials_IssueAnRs256Jwt_ThatValidatesAgainstThePublishedJwks()
    {
        await using var host = await ControlPlaneHost.StartAsync(postgres);
        var token = await host.TokenAsync(host.Operator);
        var jwt = new JsonWebToken(token);
        Assert.Equal("RS256", jwt.Alg);
        Assert.Contains(jwt.Claims, c => c.Type == "role" && c.Value == "platform_admin");

        var result = await ValidateAsync(host, token);
        Assert.True(result.IsValid, result.Exception?.Message);
        Assert.Equal(OperatorBootstrapper.BootstrapClientId, result.ClaimsIdentity.FindFirst("sub")?.Value);
    }

    [Fact]
    public async Task Token_SurvivesARestart_OfTheControlPlane()
    {
        await using var host = await ControlPlaneHost.StartAsync(postgres);
        var token = await host.TokenAsync(host.Operator);
        await host.RestartAsync();
        Assert.True((await ValidateAsync(host, token)).IsValid);
        using var http = new HttpClient { BaseAddress = host.BaseAddress };
        http.DefaultRequestHeaders.Authorization = new("Bearer", token);
        Assert.Equal(HttpStatusCode.OK, (await http.GetAsync(new Uri("/v1/plans", UriKind.Relative))).StatusCode);
    }

    [Fact]
    public async Task WrongClientSecret_IsInvalidClient()
    {
        await using var host = await ControlPlaneHost.StartAsync(postgres);
        using var http = new HttpClient { BaseAddress = host.BaseAddress };
        using var form = new FormUrlEncodedContent(new Dictionary<string, string>
        {
            ["grant_type"] = "client_credentials",
            ["client_id"] = host.Operator.ClientId,
            ["client_secret"] = host.Operator.ClientSecret + "x",
        });
        using var response = await http.PostAsync(new Uri("/connect/token", UriKind.Relative), form);
        Assert.True(response.StatusCode is HttpStatusCode.BadRequest or HttpStatusCode.Unauthorized, $"{response.StatusCode}");
        Assert.Equal("invalid_client", (await response.Content.ReadFromJsonAsync<JsonObject>())!["error"]!.GetValue<string>());
    }

    [Fact]
    public async Task AuthorizationCodeWithPkce_RoundTrip_AndAWrongVerifierFails()
    {
        await using var host = await ControlPlaneHost.StartAsync(postgres);
        var redirect = new Uri("http://127.0.0.1/portal/callback");
        await using (var scope = host.App.Services.CreateAsyncScope())
        {
            await scope.ServiceProvider.GetRequiredService<OperatorBootstrapper>().EnsurePublicClientAsync("portal", "Portal", [redirect]);
        }

        using var http = new HttpClient(new HttpClientHandler { AllowAutoRedirect = false, UseCookies = true, CookieContainer = new CookieContainer() })
        {
            BaseAddress = host.BaseAddress,
        };
        var verifier = Base64UrlEncoder.Encode(RandomNumberGenerator.GetBytes(32));
        var challenge = Base64UrlEncoder.Encode(SHA256.HashData(Encoding.ASCII.GetBytes(verifier)));
        var authorize = $"/connect/authorize?client_id=portal&response_type=code&redirect_uri={Uri.EscapeDataString(redirect.ToString())}" +
                        $"&code_challenge={challenge}&code_challenge_method=S256&state=xyz";

        using var first = await http.GetAsync(new Uri(authorize, UriKind.Relative));
        Assert.Equal(HttpStatusCode.Redirect, first.StatusCode);
        Assert.StartsWith("/account/login", first.Headers.Location!.IsAbsoluteUri ? first.Headers.Location.PathAndQuery : first.Headers.Location.OriginalString, StringComparison.Ordinal);

        using var login = await http.PostAsync(new Uri("/account/login", UriKind.Relative), new FormUrlEncodedContent(new Dictionary<string, string>
        {
            ["clientId"] = host.Operator.ClientId,
            ["clientSecret"] = host.Operator.ClientSecret,
            ["returnUrl"] = authorize,
        }));
        Assert.Equal(HttpStatusCode.Redirect, login.StatusCode);

        using var second = await http.GetAsync(new Uri(authorize, UriKind.Relative));
        Assert.Equal(HttpStatusCode.Redirect, second.StatusCode);
        var callback = second.Headers.Location!;
        Assert.StartsWith(redirect.ToString(), callback.ToString(), StringComparison.Ordinal);
        var code = System.Web.HttpUtility.ParseQueryString(callback.Query)["code"];
        Assert.False(string.IsNullOrEmpty(code));

        async Task<HttpResponseMessage> ExchangeAsync(string codeVerifier) =>
            await http.PostAsync(new Uri("/connect/token", UriKind.Relative), new FormUrlEncodedContent(new Dictionary<string, string>
            {
                ["grant_type"] = "authorization_code",
                ["client_id"] = "portal",
                ["code"] = code!,
                ["redirect_uri"] = redirect.ToString(),
                ["code_verifier"] = codeVerifier,
            }));

        using var wrong = await ExchangeAsync(verifier + "x");
        Assert.Equal(HttpStatusCode.BadRequest, wrong.StatusCode);

        // A code is single-use, and the failed attempt above may have burnt it: get a fresh one.
        using var third = await http.GetAsync(new Uri(authorize, UriKind.Relative));
        code = System.Web.HttpUtility.ParseQueryString(third.Headers.Location!.Query)["code"];
        using var right = await ExchangeAsync(verifier);
        var body = await right.Content.ReadFromJsonAsync<JsonObject>();
        Assert.True(right.IsSuccessStatusCode, body?.ToJsonString());
        var jwt = new JsonWebToken(body!["access_token"]!.GetValue<string>());
        Assert.Contains(jwt.Claims, c => c.Type == "role" && c.Value == "platform_admin");
    }

    [Fact]
    public async Task Login_WithWrongSecret_IsRefused()
    {
        await using var host = await ControlPlaneHost.StartAsync(postgres);
        using var http = new HttpClient(new HttpClientHandler { AllowAutoRedirect = false }) { BaseAddress = host.BaseAddress };
        using var login = await http.PostAsync(new Uri("/account/login", UriKind.Relative), new FormUrlEncodedContent(new Dictionary<string, string>
        {
            ["clientId"] = host.Operator.ClientId,
            ["clientSecret"] = "wrong",
            ["returnUrl"] = "/",
        }));
        Assert.Equal(HttpStatusCode.Unauthorized, login.StatusCode);
        Assert.DoesNotContain(login.Headers, h => h.Key == "Set-Cookie");
    }

    private static async Task<TokenValidationResult> ValidateAsync(ControlPlaneHost host, string token)
    {
        using var http = new HttpClient { BaseAddress = host.BaseAddress };
        var discovery = await http.GetFromJsonAsync<JsonObject>("/.well-known/openid-configuration");
        var jwks = new JsonWebKeySet(await http.GetStringAsync(new Uri(discovery!["jwks_uri"]!.GetValue<string>())));
        return await new JsonWebTokenHandler().ValidateTokenAsync(token, new TokenValidationParameters
        {
            ValidIssuer = host.BaseAddress.ToString(),
            ValidAudience = "piramid",
            IssuerSigningKeys = jwks.GetSigningKeys(),
            ValidAlgorithms = ["RS256"],
            ClockSkew = TimeSpan.FromSeconds(30),
        });
    }
}
