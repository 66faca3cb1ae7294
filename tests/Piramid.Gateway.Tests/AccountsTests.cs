using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using Microsoft.EntityFrameworkCore;
using Piramid.ControlPlane.Data;
using Piramid.ControlPlane.Identity;
using Piramid.Gateway.Tests.Support;
using Piramid.TestKit.Http;
using Piramid.TestKit.Platform;

namespace Piramid.Gateway.Tests;

/// <summary>People through the real gateway: sign-up, sign-in with code + PKCE over HTTP, /v1/me, refresh rotation, sign-out.</summary>
[Collection(GatewayCollection.Name)]
public sealed class AccountsTests(PostgresFixture postgres)
{
    internal const string Password = "correct horse battery staple";

    [Fact]
    public async Task SignUp_SignInWithCodeAndPkceThroughTheGateway_MeShowsTheOwnerMembership()
    {
        await using var platform = await StartAsync(postgres);
        using var anonymous = platform.Client(null);
        using var signUp = await anonymous.PostAsJsonAsync("/v1/signup", new { email = "  Ada@Example.COM ", password = Password, organization = "ada-labs" });
        var created = await signUp.Content.ReadFromJsonAsync<JsonObject>();
        Assert.True(signUp.StatusCode == HttpStatusCode.Created, created?.ToJsonString());
        Assert.Equal("ada@example.com", created!["email"]!.GetValue<string>());
        Assert.Equal("owner", created["role"]!.GetValue<string>());
        var tenantId = created["tenant_id"]!.GetValue<string>();
        var userId = created["user_id"]!.GetValue<string>();

        using var browser = new PortalBrowser(platform.GatewayAddress);
        var tokens = await browser.SignInAsync("ADA@example.com", Password);
        var accessToken = tokens["access_token"]!.GetValue<string>();
        var claims = PortalBrowser.Claims(accessToken);
        Assert.Equal(userId, claims["sub"]!.GetValue<string>());
        Assert.Equal("ada@example.com", claims["email"]!.GetValue<string>());
        Assert.Null(claims["role"]);
        Assert.Equal(platform.GatewayAddress.ToString(), claims["iss"]!.GetValue<string>());

        using var me = await Authorized(platform, accessToken).GetAsync(new Uri("/v1/me", UriKind.Relative));
        var body = await me.Content.ReadFromJsonAsync<JsonObject>();
        Assert.True(me.StatusCode == HttpStatusCode.OK, body?.ToJsonString());
        Assert.Equal(userId, body!["id"]!.GetValue<string>());
        Assert.False(body["platform_admin"]!.GetValue<bool>());
        var membership = Assert.Single(body["memberships"]!.AsArray())!;
        Assert.Equal(tenantId, membership["tenant_id"]!.GetValue<string>());
        Assert.Equal("ada-labs", membership["tenant_name"]!.GetValue<string>());
        Assert.Equal("owner", membership["role"]!.GetValue<string>());

        // A person's token is not an operator's: the admin API refuses it.
        using var tenants = await Authorized(platform, accessToken).GetAsync(new Uri("/v1/tenants", UriKind.Relative));
        Assert.Equal(HttpStatusCode.Forbidden, tenants.StatusCode);
        // A machine's token is not a person's: /v1/me refuses it.
        using var machine = await Authorized(platform, await platform.ControlPlane.TokenAsync(platform.ControlPlane.Operator)).GetAsync(new Uri("/v1/me", UriKind.Relative));
        Assert.Equal(HttpStatusCode.Forbidden, machine.StatusCode);
    }

    [Fact]
    public async Task RefreshTokens_Rotate_AndARedeemedOneIsRefused_AndSignOutRevokesTheCurrentOne()
    {
        await using var platform = await StartAsync(postgres);
        await SignUpAsync(platform, "grace@example.com", "grace-labs");
        using var browser = new PortalBrowser(platform.GatewayAddress);
        var first = (await browser.SignInAsync("grace@example.com", Password))["refresh_token"]!.GetValue<string>();

        var (status, rotated) = await browser.RefreshAsync(first);
        Assert.True(status == HttpStatusCode.OK, rotated.ToJsonString());
        var second = rotated["refresh_token"]!.GetValue<string>();
        Assert.NotEqual(first, second);
        // The first was redeemed: using it again is refused.
        Assert.Equal(HttpStatusCode.BadRequest, (await browser.RefreshAsync(first)).Status);

        // Sign-out (another browser): the portal revokes its refresh token (RFC 7009) and ends the session.
        using var other = new PortalBrowser(platform.GatewayAddress);
        var third = (await other.SignInAsync("grace@example.com", Password))["refresh_token"]!.GetValue<string>();
        using (var revoke = await other.Http.PostAsync(new Uri("/connect/revocation", UriKind.Relative), new FormUrlEncodedContent(new Dictionary<string, string>
        {
            ["token"] = third,
            ["token_type_hint"] = "refresh_token",
            ["client_id"] = PortalBrowser.ClientId,
        })))
        {
            Assert.True(revoke.StatusCode == HttpStatusCode.OK, await revoke.Content.ReadAsStringAsync());
        }

        var (afterRevoke, error) = await other.RefreshAsync(third);
        Assert.Equal(HttpStatusCode.BadRequest, afterRevoke);
        Assert.Equal("invalid_grant", error["error"]!.GetValue<string>());

        using (var logout = await other.Http.GetAsync(new Uri("/connect/logout", UriKind.Relative)))
        {
            Assert.Equal(HttpStatusCode.Redirect, logout.StatusCode);
        }

        // The session cookie is gone: authorize sends the browser back to the login form.
        var (_, challenge) = PortalBrowser.NewPkce();
        Assert.StartsWith("/account/login", await other.StartAsync(challenge, "after-logout"), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Discovery_ThroughTheGateway_NamesTheGateway_AndOnlyS256_AndPlainIsRefused()
    {
        await using var platform = await StartAsync(postgres);
        using var anonymous = platform.Client(null);
        var discovery = (await anonymous.GetFromJsonAsync<JsonObject>("/.well-known/openid-configuration"))!;
        var gateway = platform.GatewayAddress.ToString().TrimEnd('/');
        Assert.Equal(gateway + "/", discovery["issuer"]!.GetValue<string>());
        foreach (var endpoint in new[] { "authorization_endpoint", "token_endpoint", "jwks_uri", "revocation_endpoint", "end_session_endpoint" })
        {
            Assert.StartsWith(gateway + "/", discovery[endpoint]!.GetValue<string>(), StringComparison.Ordinal);
        }

        Assert.DoesNotContain(platform.ControlPlane.BaseAddress.Authority, discovery.ToJsonString(), StringComparison.Ordinal);
        Assert.Equal(["S256"], discovery["code_challenge_methods_supported"]!.AsArray().Select(m => m!.GetValue<string>()));
        using var jwks = await anonymous.GetAsync(new Uri(discovery["jwks_uri"]!.GetValue<string>()));
        Assert.Equal(HttpStatusCode.OK, jwks.StatusCode);

        var (verifier, _) = PortalBrowser.NewPkce();
        using var plain = await anonymous.GetAsync(new Uri(PortalBrowser.AuthorizeUrl(verifier, "plain", method: "plain"), UriKind.Relative));
        var answer = await plain.Content.ReadAsStringAsync();
        // Refused before any login: an OAuth error, never the login form.
        Assert.True(plain.StatusCode == HttpStatusCode.BadRequest, $"{(int)plain.StatusCode} {plain.Headers.Location} {answer}");
        Assert.Contains("code_challenge_method", answer, StringComparison.Ordinal);
    }

    internal static async Task<PlatformHost> StartAsync(PostgresFixture postgres, IDictionary<string, string?>? gatewaySettings = null, IDictionary<string, string?>? controlPlaneSettings = null)
    {
        var platform = await PlatformHost.StartAsync(postgres, gatewaySettings, issuerAtGateway: true, controlPlaneSettings: controlPlaneSettings);
        await using var scope = platform.ControlPlane.App.Services.CreateAsyncScope();
        await scope.ServiceProvider.GetRequiredService<OperatorBootstrapper>().EnsurePublicClientAsync(PortalBrowser.ClientId, "Portal", [PortalBrowser.RedirectUri]);
        return platform;
    }

    internal static async Task<JsonObject> SignUpAsync(PlatformHost platform, string email, string organization, string password = Password)
    {
        using var anonymous = platform.Client(null);
        using var response = await anonymous.PostAsJsonAsync("/v1/signup", new { email, password, organization });
        var body = await response.Content.ReadFromJsonAsync<JsonObject>();
        Assert.True(response.StatusCode == HttpStatusCode.Created, body?.ToJsonString());
        return body!;
    }

    internal static HttpClient Authorized(PlatformHost platform, string accessToken)
    {
        var http = platform.Client(null);
        http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", accessToken);
        return http;
    }

    internal static async Task<int> CountAsync<T>(PlatformHost platform, Func<ControlPlaneDbContext, IQueryable<T>> query)
    {
        await using var scope = platform.ControlPlane.App.Services.CreateAsyncScope();
        return await query(scope.ServiceProvider.GetRequiredService<ControlPlaneDbContext>()).CountAsync();
    }
}
