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

    // Member roles on every tenant route: owner, developer, viewer of tenant A, and the owner of another tenant.
    private static readonly (string Method, string Path, string? Body, int Owner, int Developer, int Viewer, int Stranger)[] Table =
    [
        ("GET", "/v1/tenants/{A}", null, 200, 200, 200, 404),
        ("GET", "/v1/tenants/{A}/members", null, 200, 200, 200, 404),
        ("GET", "/v1/tenants/{A}/api-keys", null, 200, 403, 403, 404),
        ("POST", "/v1/tenants/{A}/api-keys", """{"name":"t","role":"read_only"}""", 201, 403, 403, 404),
        ("GET", "/v1/tenants/{A}/usage", null, 200, 403, 403, 404),
        ("GET", "/v1/tenants/{A}/audit", null, 200, 403, 403, 404),
        ("POST", "/v1/tenants/{A}/invitations", """{"role":"viewer"}""", 201, 403, 403, 404),
        ("PATCH", "/v1/tenants/{A}", """{"name":"renamed"}""", 403, 403, 403, 403),
        ("POST", "/v1/tenants/{A}/suspend", null, 403, 403, 403, 403),
        ("GET", "/v1/tenants", null, 403, 403, 403, 403),
    ];

    [Fact]
    public async Task MemberTokens_OnEveryTenantRoute_AnswerTheTablesStatus()
    {
        await using var platform = await StartAsync(postgres);
        var tenant = (await SignUpAsync(platform, "own@example.com", "table-a"))["tenant_id"]!.GetValue<string>();
        await SignUpAsync(platform, "dev@example.com", "table-dev");
        await SignUpAsync(platform, "view@example.com", "table-view");
        await SignUpAsync(platform, "else@example.com", "table-else");
        using var owner = Authorized(platform, await TokenAsync(platform, "own@example.com"));
        foreach (var (email, role) in new[] { ("dev@example.com", "developer"), ("view@example.com", "viewer") })
        {
            var invitation = await ReadAsync(await owner.PostAsJsonAsync($"/v1/tenants/{tenant}/invitations", new { email, role }), HttpStatusCode.Created);
            using var invitee = Authorized(platform, await TokenAsync(platform, email));
            await ReadAsync(await invitee.PostAsJsonAsync("/v1/invitations/accept", new { token = Token(invitation) }), HttpStatusCode.OK);
        }

        using var developer = Authorized(platform, await TokenAsync(platform, "dev@example.com"));
        using var viewer = Authorized(platform, await TokenAsync(platform, "view@example.com"));
        using var stranger = Authorized(platform, await TokenAsync(platform, "else@example.com"));
        var failures = new List<string>();
        foreach (var row in Table)
        {
            foreach (var (name, http, expected) in new[] { ("owner", owner, row.Owner), ("developer", developer, row.Developer), ("viewer", viewer, row.Viewer), ("stranger", stranger, row.Stranger) })
            {
                var path = row.Path.Replace("{A}", tenant, StringComparison.Ordinal);
                using var request = new HttpRequestMessage(new HttpMethod(row.Method), new Uri(path, UriKind.Relative));
                if (row.Body is not null)
                {
                    request.Content = new StringContent(row.Body, System.Text.Encoding.UTF8, "application/json");
                }

                using var response = await http.SendAsync(request);
                if ((int)response.StatusCode != expected)
                {
                    failures.Add($"{row.Method} {row.Path} by {name}: {(int)response.StatusCode}, expected {expected}: {await response.Content.ReadAsStringAsync()}");
                }
                else if (expected >= 400)
                {
                    await ProblemAssert.MatchesAsync(response, expected == 404 ? ProblemCatalog.NotFound : ProblemCatalog.Forbidden, path);
                }
            }
        }

        Assert.True(failures.Count == 0, string.Join('\n', failures));
    }

    [Fact]
    public async Task AViewer_ReadsItsTenantsPlanLimits_ThoughNotThePlans()
    {
        await using var platform = await StartAsync(postgres);
        var tenant = (await SignUpAsync(platform, "own@example.com", "limits-a"))["tenant_id"]!.GetValue<string>();
        await SignUpAsync(platform, "view@example.com", "limits-view");
        using var owner = Authorized(platform, await TokenAsync(platform, "own@example.com"));
        var invitation = await ReadAsync(await owner.PostAsJsonAsync($"/v1/tenants/{tenant}/invitations", new { email = "view@example.com", role = "viewer" }), HttpStatusCode.Created);
        using var viewer = Authorized(platform, await TokenAsync(platform, "view@example.com"));
        await ReadAsync(await viewer.PostAsJsonAsync("/v1/invitations/accept", new { token = Token(invitation) }), HttpStatusCode.OK);

        var info = await ReadAsync(await viewer.GetAsync(new Uri($"/v1/tenants/{tenant}", UriKind.Relative)), HttpStatusCode.OK);
        await ProblemAssert.MatchesAsync(await viewer.GetAsync(new Uri("/v1/plans", UriKind.Relative)), ProblemCatalog.Forbidden);
        using var admin = await platform.ControlPlane.ClientAsync(platform.ControlPlane.Operator);
        var plans = (await admin.GetFromJsonAsync<JsonObject>("/v1/plans"))!["plans"]!.AsArray();
        var plan = plans.Single(p => p!["id"]!.GetValue<string>() == info["plan"]!.GetValue<string>())!.AsObject();
        var limits = info["limits"]!.AsObject();
        string[] fields = ["max_collections", "max_points", "max_storage_bytes", "max_dimension", "monthly_read_units", "monthly_write_units", "read_rate_per_second", "write_rate_per_second"];
        Assert.Equal(fields.Order(StringComparer.Ordinal), limits.Select(p => p.Key).Order(StringComparer.Ordinal));
        Assert.Contains(fields, f => limits[f] is not null);
        Assert.All(fields, f => Assert.Equal(plan[f]?.ToJsonString(), limits[f]?.ToJsonString()));
    }

    private static async Task<string> TokenAsync(PlatformHost platform, string email)
    {
        using var browser = new PortalBrowser(platform.GatewayAddress);
        return (await browser.SignInAsync(email, Password))["access_token"]!.GetValue<string>();
    }

    private static string Token(JsonObject invitation)
    {
        var url = invitation["invite_url"]!.GetValue<string>();
        Assert.Equal("/invite", new Uri(url).AbsolutePath); // the portal's invitation page
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
