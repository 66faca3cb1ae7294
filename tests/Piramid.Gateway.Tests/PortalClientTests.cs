using System.Net;
using Microsoft.AspNetCore.WebUtilities;
using Piramid.ControlPlane.Identity;
using Piramid.Gateway.Tests.Support;
using Piramid.TestKit.Http;
using Piramid.TestKit.Platform;

namespace Piramid.Gateway.Tests;

/// <summary>
/// The portal's public client as <c>./piramid up</c> registers it (<c>portal-client</c>: redirect <c>&lt;issuer&gt;callback</c>,
/// post-logout <c>&lt;issuer&gt;</c>, the gateway's URL): what oidc-client-ts does with it through the gateway.
/// </summary>
[Collection(GatewayCollection.Name)]
public sealed class PortalClientTests(PostgresFixture postgres)
{
    [Fact]
    public async Task PortalClient_SignsInWithCodeAndPkce_Refreshes_Revokes_EndsTheSession_AndFollowsTheGatewaysAddress()
    {
        await using var platform = await PlatformHost.StartAsync(postgres, issuerAtGateway: true);
        var (redirect, postLogout, created) = await PortalClient.EnsureAsync(platform.ControlPlane.App.Services);
        Assert.True(created);
        Assert.Equal(new Uri(platform.GatewayAddress, "/callback"), redirect);
        Assert.Equal(platform.GatewayAddress, postLogout);
        Assert.False((await PortalClient.EnsureAsync(platform.ControlPlane.App.Services)).Changed);
        await AccountsTests.SignUpAsync(platform, "lin@example.com", "lin-labs");

        // What the app asks for: openid profile (habit of OIDC clients) and offline_access (refresh).
        using var browser = new PortalBrowser(platform.GatewayAddress, redirect, "openid profile offline_access");
        var tokens = await browser.SignInAsync("lin@example.com", AccountsTests.Password);
        Assert.Equal(PortalClient.ClientId, PortalBrowser.Claims(tokens["id_token"]!.GetValue<string>())["aud"]!.ToString());
        Assert.Equal("lin@example.com", PortalBrowser.Claims(tokens["access_token"]!.GetValue<string>())["email"]!.GetValue<string>());
        using (var me = await AccountsTests.Authorized(platform, tokens["access_token"]!.GetValue<string>()).GetAsync(new Uri("/v1/me", UriKind.Relative)))
        {
            Assert.Equal(HttpStatusCode.OK, me.StatusCode);
        }

        var (refreshed, rotated) = await browser.RefreshAsync(tokens["refresh_token"]!.GetValue<string>());
        Assert.True(refreshed == HttpStatusCode.OK, rotated.ToJsonString());

        // Sign-out as oidc-client-ts does it: revoke the refresh token, then the end-session endpoint back to the portal.
        using (var revoke = await browser.Http.PostAsync(new Uri("/connect/revocation", UriKind.Relative), new FormUrlEncodedContent(new Dictionary<string, string>
        {
            ["token"] = rotated["refresh_token"]!.GetValue<string>(),
            ["token_type_hint"] = "refresh_token",
            ["client_id"] = PortalClient.ClientId,
        })))
        {
            Assert.True(revoke.StatusCode == HttpStatusCode.OK, await revoke.Content.ReadAsStringAsync());
        }

        Assert.Equal(HttpStatusCode.BadRequest, (await browser.RefreshAsync(rotated["refresh_token"]!.GetValue<string>())).Status);
        var endSession = QueryHelpers.AddQueryString("/connect/logout", new Dictionary<string, string?>
        {
            ["client_id"] = PortalClient.ClientId,
            ["id_token_hint"] = rotated["id_token"]?.GetValue<string>() ?? tokens["id_token"]!.GetValue<string>(),
            ["post_logout_redirect_uri"] = postLogout.ToString(),
            ["state"] = "bye",
        });
        using (var logout = await browser.Http.GetAsync(new Uri(endSession, UriKind.Relative)))
        {
            Assert.True(logout.StatusCode == HttpStatusCode.Redirect, $"{(int)logout.StatusCode} {await logout.Content.ReadAsStringAsync()}");
            Assert.StartsWith(postLogout.ToString(), logout.Headers.Location!.ToString(), StringComparison.Ordinal);
        }

        // The gateway moved (another port at the next ./piramid up): the client follows, and the old address is refused.
        var moved = new Uri("http://127.0.0.1:1/");
        var (movedRedirect, movedPostLogout) = PortalClient.Uris(moved);
        await using (var scope = platform.ControlPlane.App.Services.CreateAsyncScope())
        {
            Assert.True(await scope.ServiceProvider.GetRequiredService<OperatorBootstrapper>()
                .EnsurePublicClientAsync(PortalClient.ClientId, "Piramid portal", [movedRedirect], [movedPostLogout]));
        }

        using (var stale = await browser.Http.GetAsync(new Uri(PortalBrowser.AuthorizeUrl(PortalBrowser.NewPkce().Challenge, "s", redirectUri: redirect), UriKind.Relative)))
        {
            Assert.Equal(HttpStatusCode.BadRequest, stale.StatusCode);
            Assert.Contains("redirect_uri", await stale.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        }

        Assert.True((await PortalClient.EnsureAsync(platform.ControlPlane.App.Services)).Changed);
        using var again = new PortalBrowser(platform.GatewayAddress, redirect);
        Assert.NotNull((await again.SignInAsync("lin@example.com", AccountsTests.Password))["access_token"]);
    }
}
