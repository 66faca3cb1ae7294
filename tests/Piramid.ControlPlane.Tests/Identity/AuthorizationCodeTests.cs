using System.Net;
using System.Net.Http.Headers;
using Piramid.Contracts.Identity;
using Piramid.ControlPlane.Accounts;
using Piramid.ControlPlane.Identity;
using Piramid.ControlPlane.Tests.Support;
using Piramid.TestKit.Http;

namespace Piramid.ControlPlane.Tests.Identity;

/// <summary>An operator is a user with the platform-admin flag who signs in with email and password (code + PKCE).</summary>
[Collection(PostgresCollection.Name)]
public sealed class AuthorizationCodeTests(PostgresFixture postgres)
{
    private const string Password = "operator passphrase 42";

    [Fact]
    public async Task OperatorUser_SignsInWithCodeAndPkce_GetsPlatformAdmin_AntiforgeryAndVerifierEnforced()
    {
        await using var host = await ControlPlaneHost.StartAsync(postgres);
        Guid operatorId;
        await using (var scope = host.App.Services.CreateAsyncScope())
        {
            var bootstrapper = scope.ServiceProvider.GetRequiredService<OperatorBootstrapper>();
            Assert.True(await bootstrapper.EnsurePublicClientAsync(PortalBrowser.ClientId, "Portal", [PortalBrowser.RedirectUri]));
            Assert.False(await bootstrapper.EnsurePublicClientAsync(PortalBrowser.ClientId, "Portal", [PortalBrowser.RedirectUri]));
            var user = await scope.ServiceProvider.GetRequiredService<UserAccounts>().CreateUserAsync("ops@example.com", Password, platformAdmin: true, ownedTenantId: null, CancellationToken.None);
            operatorId = user!.Id;
        }

        using var browser = new PortalBrowser(host.BaseAddress);
        var (verifier, challenge) = PortalBrowser.NewPkce();
        var login = await browser.StartAsync(challenge, "s1");
        Assert.StartsWith("/account/login?ReturnUrl=%2Fconnect%2Fauthorize", login, StringComparison.Ordinal);

        // The page has the labels and button the portal's users see.
        var (_, _, html) = await browser.FormAsync(login);
        Assert.Contains("<label>Email <input name=\"email\"", html, StringComparison.Ordinal);
        Assert.Contains("<label>Password <input name=\"password\" type=\"password\"", html, StringComparison.Ordinal);
        Assert.Contains("<button type=\"submit\">Sign in</button>", html, StringComparison.Ordinal);

        // Without the antiforgery token the form is refused before any password is checked.
        using (var forged = await browser.Http.PostAsync(new Uri("/account/login", UriKind.Relative), new FormUrlEncodedContent(new Dictionary<string, string>
        {
            ["email"] = "ops@example.com",
            ["password"] = Password,
        })))
        {
            Assert.Equal(HttpStatusCode.BadRequest, forged.StatusCode);
        }

        using (var wrong = await browser.PostLoginAsync(login, "ops@example.com", Password + "!"))
        {
            Assert.Equal(HttpStatusCode.Unauthorized, wrong.StatusCode);
            Assert.Contains(AccountEndpoints.FailureMessage, System.Net.WebUtility.HtmlDecode(await wrong.Content.ReadAsStringAsync()), StringComparison.Ordinal);
        }

        using var signedIn = await browser.PostLoginAsync(login, "OPS@example.com", Password);
        var code = await browser.CodeAsync(signedIn, "s1");
        var (refused, error) = await browser.ExchangeAsync(code, PortalBrowser.NewPkce().Verifier);
        Assert.Equal(HttpStatusCode.BadRequest, refused);
        Assert.Equal("invalid_grant", error["error"]!.GetValue<string>());

        // A second authorization reuses the session cookie (no form), and the right verifier redeems it.
        (verifier, challenge) = PortalBrowser.NewPkce();
        using (var again = await browser.Http.GetAsync(new Uri(PortalBrowser.AuthorizeUrl(challenge, "s2"), UriKind.Relative)))
        {
            Assert.Equal(HttpStatusCode.Redirect, again.StatusCode);
            Assert.StartsWith(PortalBrowser.RedirectUri.ToString(), again.Headers.Location!.ToString(), StringComparison.Ordinal);
            code = Microsoft.AspNetCore.WebUtilities.QueryHelpers.ParseQuery(again.Headers.Location.Query)["code"].ToString();
        }

        var (status, tokens) = await browser.ExchangeAsync(code, verifier);
        Assert.True(status == HttpStatusCode.OK, tokens.ToJsonString());
        var accessToken = tokens["access_token"]!.GetValue<string>();
        var claims = PortalBrowser.Claims(accessToken);
        Assert.Equal(operatorId.ToString(), claims["sub"]!.GetValue<string>());
        Assert.Equal("ops@example.com", claims["email"]!.GetValue<string>());
        Assert.Equal(Roles.PlatformAdmin, claims["role"]!.GetValue<string>());
        Assert.Null(claims[IdentityClaims.SecurityStamp]);

        using var admin = new HttpClient { BaseAddress = host.BaseAddress };
        admin.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", accessToken);
        using var tenants = await admin.GetAsync(new Uri("/v1/tenants", UriKind.Relative));
        Assert.Equal(HttpStatusCode.OK, tenants.StatusCode);

        var (refreshed, next) = await browser.RefreshAsync(tokens["refresh_token"]!.GetValue<string>());
        Assert.True(refreshed == HttpStatusCode.OK, next.ToJsonString());
        Assert.Equal(operatorId.ToString(), PortalBrowser.Claims(next["access_token"]!.GetValue<string>())["sub"]!.GetValue<string>());
    }
}
