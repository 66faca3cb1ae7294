using System.Net;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using System.Text.RegularExpressions;
using Microsoft.AspNetCore.WebUtilities;
using Microsoft.IdentityModel.Tokens;
using Piramid.Contracts.Identity;
using Piramid.ControlPlane.Identity;
using Piramid.ControlPlane.Tests.Support;
using Piramid.TestKit;

namespace Piramid.ControlPlane.Tests.Identity;

[Collection(PostgresCollection.Name)]
public sealed partial class AuthorizationCodeTests(PostgresFixture postgres)
{
    private const string PortalClientId = "piramid-portal";
    private static readonly Uri RedirectUri = new("http://127.0.0.1:5173/callback");

    [Fact]
    public async Task AuthorizationCodeWithPkce_LoginCookie_CodeExchangedWithVerifier_WrongVerifierFails()
    {
        var (_, connectionString) = await postgres.CreateMigratedDatabaseAsync();
        using var keys = new TempDirectory();
        await using var host = await IdentityTestHost.StartAsync(connectionString, keys.Combine("keys.json"));
        var admin = (await host.WithBootstrapperAsync(b => b.EnsureBootstrapOperatorAsync()))!;
        Assert.True(await host.WithBootstrapperAsync(b => b.EnsurePublicClientAsync(PortalClientId, "Portal", [RedirectUri])));
        Assert.False(await host.WithBootstrapperAsync(b => b.EnsurePublicClientAsync(PortalClientId, "Portal", [RedirectUri])));

        using var browser = new HttpClient(new HttpClientHandler { AllowAutoRedirect = false, UseCookies = true, CookieContainer = new CookieContainer() })
        {
            BaseAddress = host.BaseAddress,
        };

        // 1. Not logged in: the authorization endpoint sends the browser to the login form.
        var (verifier, challenge) = NewPkce();
        using var toLogin = await browser.GetAsync(AuthorizeUrl(challenge, "s1"));
        Assert.Equal(HttpStatusCode.Redirect, toLogin.StatusCode);
        var loginUrl = toLogin.Headers.Location!;
        Assert.StartsWith("/account/login", loginUrl.IsAbsoluteUri ? loginUrl.PathAndQuery : loginUrl.OriginalString, StringComparison.Ordinal);
        var returnUrl = QueryHelpers.ParseQuery(new Uri(host.BaseAddress, loginUrl).Query)["ReturnUrl"].ToString();
        Assert.StartsWith("/connect/authorize", returnUrl, StringComparison.Ordinal);

        // 2. The form: a wrong secret is refused, a request without the antiforgery token too.
        var antiforgery = await ReadAntiforgeryFieldAsync(browser, loginUrl);
        using (var wrong = await browser.PostAsync("/account/login", Login(antiforgery, admin.ClientId, ClientCredentialsTests.ChangeLastChar(admin.ClientSecret), returnUrl)))
        {
            Assert.Equal(HttpStatusCode.Unauthorized, wrong.StatusCode);
        }

        using (var forged = await browser.PostAsync("/account/login", Login(("x", "y"), admin.ClientId, admin.ClientSecret, returnUrl)))
        {
            Assert.Equal(HttpStatusCode.BadRequest, forged.StatusCode);
        }

        antiforgery = await ReadAntiforgeryFieldAsync(browser, loginUrl);
        using var loggedIn = await browser.PostAsync("/account/login", Login(antiforgery, admin.ClientId, admin.ClientSecret, returnUrl));
        Assert.Equal(HttpStatusCode.Redirect, loggedIn.StatusCode);
        Assert.Equal(returnUrl, loggedIn.Headers.Location!.OriginalString);

        // 3. Logged in: the authorization endpoint redirects to the portal with a code.
        var code = await AuthorizeAsync(browser, returnUrl, "s1");

        // 4. A wrong verifier is refused; a second authorization (cookie reused, no login) exchanged with the right one works.
        using (var refused = await browser.PostAsync("connect/token", CodeExchange(code, NewPkce().Verifier)))
        {
            Assert.Equal(HttpStatusCode.BadRequest, refused.StatusCode);
            using var error = JsonDocument.Parse(await refused.Content.ReadAsStringAsync());
            Assert.Equal("invalid_grant", error.RootElement.GetProperty("error").GetString());
        }

        (verifier, challenge) = NewPkce();
        code = await AuthorizeAsync(browser, AuthorizeUrl(challenge, "s2"), "s2");
        using var exchanged = await browser.PostAsync("connect/token", CodeExchange(code, verifier));
        var body = await exchanged.Content.ReadAsStringAsync();
        Assert.True(exchanged.StatusCode == HttpStatusCode.OK, body);
        using var tokens = JsonDocument.Parse(body);
        var accessToken = tokens.RootElement.GetProperty("access_token").GetString()!;
        var payload = JwksValidator.Payload(accessToken);
        Assert.Equal(admin.ClientId, payload.GetProperty("sub").GetString());
        Assert.Equal(Roles.PlatformAdmin, payload.GetProperty("role").GetString());
        Assert.True((await JwksValidator.ValidateAsync(host, accessToken)).IsValid);
        Assert.Equal(HttpStatusCode.OK, await host.GetStatusAsync(IdentityTestHost.AdminProbe, accessToken));

        // 5. The refresh token yields a new access token for the same operator.
        using var refreshed = await browser.PostAsync("connect/token", new FormUrlEncodedContent(new Dictionary<string, string>
        {
            ["grant_type"] = "refresh_token",
            ["refresh_token"] = tokens.RootElement.GetProperty("refresh_token").GetString()!,
            ["client_id"] = PortalClientId,
        }));
        var refreshedBody = await refreshed.Content.ReadAsStringAsync();
        Assert.True(refreshed.StatusCode == HttpStatusCode.OK, refreshedBody);
        using var refreshedTokens = JsonDocument.Parse(refreshedBody);
        var refreshedAccess = refreshedTokens.RootElement.GetProperty("access_token").GetString()!;
        Assert.NotEqual(accessToken, refreshedAccess);
        Assert.Equal(admin.ClientId, JwksValidator.Payload(refreshedAccess).GetProperty("sub").GetString());
    }

    private static async Task<string> AuthorizeAsync(HttpClient browser, string url, string state)
    {
        using var response = await browser.GetAsync(url);
        Assert.True(response.StatusCode == HttpStatusCode.Redirect, await response.Content.ReadAsStringAsync());
        var location = response.Headers.Location!;
        Assert.Equal(RedirectUri.GetLeftPart(UriPartial.Path), location.GetLeftPart(UriPartial.Path));
        var query = QueryHelpers.ParseQuery(location.Query);
        Assert.Equal(state, query["state"].ToString());
        var code = query["code"].ToString();
        Assert.False(string.IsNullOrEmpty(code));
        return code;
    }

    private static string AuthorizeUrl(string challenge, string state) => QueryHelpers.AddQueryString("/connect/authorize", new Dictionary<string, string?>
    {
        ["client_id"] = PortalClientId,
        ["response_type"] = "code",
        ["redirect_uri"] = RedirectUri.ToString(),
        ["scope"] = "openid offline_access",
        ["code_challenge"] = challenge,
        ["code_challenge_method"] = "S256",
        ["state"] = state,
    });

    private static FormUrlEncodedContent CodeExchange(string code, string verifier) => new(new Dictionary<string, string>
    {
        ["grant_type"] = "authorization_code",
        ["code"] = code,
        ["redirect_uri"] = RedirectUri.ToString(),
        ["client_id"] = PortalClientId,
        ["code_verifier"] = verifier,
    });

    private static FormUrlEncodedContent Login((string Name, string Value) antiforgery, string clientId, string secret, string returnUrl) => new(new Dictionary<string, string>
    {
        [antiforgery.Name] = antiforgery.Value,
        ["client_id"] = clientId,
        ["client_secret"] = secret,
        ["return_url"] = returnUrl,
    });

    private static async Task<(string Name, string Value)> ReadAntiforgeryFieldAsync(HttpClient browser, Uri loginUrl)
    {
        using var response = await browser.GetAsync(loginUrl);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var match = AntiforgeryField().Match(await response.Content.ReadAsStringAsync());
        Assert.True(match.Success);
        return (WebUtility.HtmlDecode(match.Groups["name"].Value), WebUtility.HtmlDecode(match.Groups["value"].Value));
    }

    private static (string Verifier, string Challenge) NewPkce()
    {
        var verifier = Base64UrlEncoder.Encode(RandomNumberGenerator.GetBytes(32));
        return (verifier, Base64UrlEncoder.Encode(SHA256.HashData(Encoding.ASCII.GetBytes(verifier))));
    }

    [GeneratedRegex("<input type=\"hidden\" name=\"(?<name>__RequestVerificationToken)\" value=\"(?<value>[^\"]+)\">")]
    private static partial Regex AntiforgeryField();
}
