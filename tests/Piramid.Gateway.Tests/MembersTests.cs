using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using Piramid.Contracts.Problems;
using Piramid.Gateway.Tests.Support;
using Piramid.TestKit.Http;
using Piramid.TestKit.Platform;
using static Piramid.Gateway.Tests.AccountsTests;

namespace Piramid.Gateway.Tests;

/// <summary>
/// Members and invitations through the real gateway with member tokens from the code + PKCE sign-in: invite, accept
/// once, change roles, leave; the owner rules; another tenant's members stay hidden.
/// </summary>
[Collection(GatewayCollection.Name)]
public sealed class MembersTests(PostgresFixture postgres)
{
    [Fact]
    public async Task Invite_Accept_ChangeRoles_Leave_AndATenantAlwaysKeepsAnOwner()
    {
        await using var platform = await StartAsync(postgres);
        var ada = await SignUpAsync(platform, "ada@example.com", "members-a");
        var tenant = ada["tenant_id"]!.GetValue<string>();
        var adaId = ada["user_id"]!.GetValue<string>();
        var bobId = (await SignUpAsync(platform, "bob@example.com", "members-bob"))["user_id"]!.GetValue<string>();
        await SignUpAsync(platform, "carol@example.com", "members-carol");
        using var adaHttp = Authorized(platform, await TokenAsync(platform, "ada@example.com"));
        using var bobHttp = Authorized(platform, await TokenAsync(platform, "bob@example.com"));
        using var carolHttp = Authorized(platform, await TokenAsync(platform, "carol@example.com"));

        // An invitation for bob as a developer: the link carries the token, once.
        var invitation = await ReadAsync(await adaHttp.PostAsJsonAsync($"/v1/tenants/{tenant}/invitations", new { email = "Bob@Example.com", role = "developer" }), HttpStatusCode.Created);
        var token = Token(invitation);
        Assert.Equal("bob@example.com", invitation["email"]!.GetValue<string>());

        // Tampered, for someone else, then accepted once; a second use is refused whoever tries.
        await ProblemAssert.MatchesAsync(await bobHttp.PostAsJsonAsync("/v1/invitations/accept", new { token = Tamper(token) }), ProblemCatalog.NotFound);
        await ProblemAssert.MatchesAsync(await carolHttp.PostAsJsonAsync("/v1/invitations/accept", new { token }), ProblemCatalog.Forbidden);
        var joined = await ReadAsync(await bobHttp.PostAsJsonAsync("/v1/invitations/accept", new { token }), HttpStatusCode.OK);
        Assert.Equal(tenant, joined["tenant_id"]!.GetValue<string>());
        Assert.Equal("developer", joined["role"]!.GetValue<string>());
        await ProblemAssert.MatchesAsync(await bobHttp.PostAsJsonAsync("/v1/invitations/accept", new { token }), ProblemCatalog.Conflict);

        var members = await ReadAsync(await bobHttp.GetAsync(new Uri($"/v1/tenants/{tenant}/members", UriKind.Relative)), HttpStatusCode.OK);
        Assert.Equal([(adaId, "owner"), (bobId, "developer")], Roles(members));

        // A developer manages neither members nor keys; a stranger sees no tenant at all.
        await ProblemAssert.MatchesAsync(await bobHttp.PatchAsJsonAsync($"/v1/tenants/{tenant}/members/{adaId}", new { role = "viewer" }), ProblemCatalog.Forbidden);
        await ProblemAssert.MatchesAsync(await bobHttp.PostAsJsonAsync($"/v1/tenants/{tenant}/api-keys", new { name = "k", role = "admin" }), ProblemCatalog.Forbidden);
        await ProblemAssert.MatchesAsync(await bobHttp.PostAsJsonAsync($"/v1/tenants/{tenant}/invitations", new { role = "viewer" }), ProblemCatalog.Forbidden);
        await ProblemAssert.MatchesAsync(await carolHttp.GetAsync(new Uri($"/v1/tenants/{tenant}/members", UriKind.Relative)), ProblemCatalog.NotFound);
        await ProblemAssert.MatchesAsync(await carolHttp.DeleteAsync(new Uri($"/v1/tenants/{tenant}/members/{bobId}", UriKind.Relative)), ProblemCatalog.NotFound);

        // The last owner can neither be demoted nor leave.
        var demote = await ProblemAssert.MatchesAsync(await adaHttp.PatchAsJsonAsync($"/v1/tenants/{tenant}/members/{adaId}", new { role = "admin" }), ProblemCatalog.Conflict);
        Assert.Contains("at least one owner", (string)demote["detail"]!, StringComparison.Ordinal);
        await ProblemAssert.MatchesAsync(await adaHttp.DeleteAsync(new Uri($"/v1/tenants/{tenant}/members/{adaId}", UriKind.Relative)), ProblemCatalog.Conflict);

        // An admin manages members and keys but not owners.
        await ReadAsync(await adaHttp.PatchAsJsonAsync($"/v1/tenants/{tenant}/members/{bobId}", new { role = "admin" }), HttpStatusCode.OK);
        await ReadAsync(await bobHttp.PostAsJsonAsync($"/v1/tenants/{tenant}/api-keys", new { name = "k", role = "read_only" }), HttpStatusCode.Created);
        var notOwner = await ProblemAssert.MatchesAsync(await bobHttp.PatchAsJsonAsync($"/v1/tenants/{tenant}/members/{bobId}", new { role = "owner" }), ProblemCatalog.Forbidden);
        Assert.Contains("Only an owner", (string)notOwner["detail"]!, StringComparison.Ordinal);
        await ProblemAssert.MatchesAsync(await bobHttp.PostAsJsonAsync($"/v1/tenants/{tenant}/invitations", new { role = "owner" }), ProblemCatalog.Forbidden);
        await ProblemAssert.MatchesAsync(await bobHttp.DeleteAsync(new Uri($"/v1/tenants/{tenant}/members/{adaId}", UriKind.Relative)), ProblemCatalog.Forbidden);

        // With a second owner the first may leave; then bob is the last owner.
        await ReadAsync(await adaHttp.PatchAsJsonAsync($"/v1/tenants/{tenant}/members/{bobId}", new { role = "owner" }), HttpStatusCode.OK);
        Assert.Equal(HttpStatusCode.NoContent, (await adaHttp.DeleteAsync(new Uri($"/v1/tenants/{tenant}/members/{adaId}", UriKind.Relative))).StatusCode);
        await ProblemAssert.MatchesAsync(await adaHttp.GetAsync(new Uri($"/v1/tenants/{tenant}/members", UriKind.Relative)), ProblemCatalog.NotFound);
        await ProblemAssert.MatchesAsync(await bobHttp.PatchAsJsonAsync($"/v1/tenants/{tenant}/members/{bobId}", new { role = "viewer" }), ProblemCatalog.Conflict);

        // Every change is in the trail, by the user who made it.
        var audit = await ReadAsync(await bobHttp.GetAsync(new Uri($"/v1/tenants/{tenant}/audit", UriKind.Relative)), HttpStatusCode.OK);
        var changes = audit["events"]!.AsArray()
            .Where(e => e!["action"]!.GetValue<string>().StartsWith("member.", StringComparison.Ordinal) || e!["action"]!.GetValue<string>() == "invitation.create")
            .Select(e => (e!["action"]!.GetValue<string>(), e["actor"]!.GetValue<string>())).ToList();
        Assert.Equal(
            [("invitation.create", adaId), ("member.join", bobId), ("member.role_change", adaId), ("member.role_change", adaId), ("member.leave", adaId)],
            changes);
        Assert.DoesNotContain(token, audit.ToJsonString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task AnExpiredInvitation_IsRefused()
    {
        // Invitations live a millisecond here, so the one below has expired by the time it is accepted.
        await using var platform = await StartAsync(postgres, controlPlaneSettings: new Dictionary<string, string?> { ["Invitations:Lifetime"] = "00:00:00.001" });
        var tenant = (await SignUpAsync(platform, "old@example.com", "expiry-a"))["tenant_id"]!.GetValue<string>();
        await SignUpAsync(platform, "late@example.com", "expiry-b");
        using var owner = Authorized(platform, await TokenAsync(platform, "old@example.com"));
        using var late = Authorized(platform, await TokenAsync(platform, "late@example.com"));
        var invitation = await ReadAsync(await owner.PostAsJsonAsync($"/v1/tenants/{tenant}/invitations", new { role = "viewer" }), HttpStatusCode.Created);
        var expired = await ProblemAssert.MatchesAsync(await late.PostAsJsonAsync("/v1/invitations/accept", new { token = Token(invitation) }), ProblemCatalog.Conflict);
        Assert.Contains("expired", (string)expired["detail"]!, StringComparison.Ordinal);
        await ProblemAssert.MatchesAsync(await late.GetAsync(new Uri($"/v1/tenants/{tenant}/members", UriKind.Relative)), ProblemCatalog.NotFound);
    }

    private static async Task<string> TokenAsync(PlatformHost platform, string email)
    {
        using var browser = new PortalBrowser(platform.GatewayAddress);
        return (await browser.SignInAsync(email, Password))["access_token"]!.GetValue<string>();
    }

    private static string Token(JsonObject invitation)
    {
        var url = invitation["invite_url"]!.GetValue<string>();
        var at = url.IndexOf("#token=", StringComparison.Ordinal);
        Assert.True(at > 0, url);
        return url[(at + "#token=".Length)..];
    }

    // One character changed in the middle: still well-formed, no longer the token.
    private static string Tamper(string token) => token[..20] + (token[20] == 'A' ? 'B' : 'A') + token[21..];

    private static List<(string, string)> Roles(JsonObject members) =>
        [.. members["members"]!.AsArray().Select(m => (m!["user_id"]!.GetValue<string>(), m["role"]!.GetValue<string>()))];

    private static async Task<JsonObject> ReadAsync(HttpResponseMessage response, HttpStatusCode expected)
    {
        using (response)
        {
            var text = await response.Content.ReadAsStringAsync();
            Assert.True(response.StatusCode == expected, $"{response.RequestMessage?.Method} {response.RequestMessage?.RequestUri}: {(int)response.StatusCode} {text}");
            return JsonNode.Parse(text)!.AsObject();
        }
    }
}
