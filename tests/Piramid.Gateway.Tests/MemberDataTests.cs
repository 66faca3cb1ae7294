using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Piramid.Contracts.Problems;
using Piramid.Gateway.Tests.Support;
using Piramid.TestKit.Http;
using Piramid.TestKit.Platform;
using static Piramid.Gateway.Tests.AccountsTests;

namespace Piramid.Gateway.Tests;

/// <summary>
/// Member tokens on the data API, <c>/v1/tenants/{id}/collections/...</c>, through the real gateway, control plane
/// and engine, with tokens from the code + PKCE sign-in: the member's role decides as a key's would, a stranger sees
/// no tenant, a removed member is out as soon as the change reaches the gateway, and the tenant is billed.
/// </summary>
[Collection(GatewayCollection.Name)]
public sealed class MemberDataTests(PostgresFixture postgres)
{
    [Fact]
    public async Task MemberRoles_DecideTheDataApi_StrangersSeeNoTenant_RemovalIsImmediate_AndTheTenantIsBilled()
    {
        // Usage is reported only when the test asks, so the counts below are exactly this test's requests.
        await using var platform = await StartAsync(postgres, new Dictionary<string, string?> { ["Gateway:UsageReportInterval"] = "01:00:00" });
        var tenant = (await SignUpAsync(platform, "own@example.com", "data-a"))["tenant_id"]!.GetValue<string>();
        var other = (await SignUpAsync(platform, "else@example.com", "data-b"))["tenant_id"]!.GetValue<string>();
        var viewerId = (await SignUpAsync(platform, "view@example.com", "data-view"))["user_id"]!.GetValue<string>();
        var developerId = (await SignUpAsync(platform, "dev@example.com", "data-dev"))["user_id"]!.GetValue<string>();
        using var owner = Authorized(platform, await TokenAsync(platform, "own@example.com"));
        foreach (var (email, role) in new[] { ("dev@example.com", "developer"), ("view@example.com", "viewer") })
        {
            var invitation = await ReadAsync(await owner.PostAsJsonAsync($"/v1/tenants/{tenant}/invitations", new { email, role }), HttpStatusCode.Created);
            using var invitee = Authorized(platform, await TokenAsync(platform, email));
            await ReadAsync(await invitee.PostAsJsonAsync("/v1/invitations/accept", new { token = InvitationToken(invitation) }), HttpStatusCode.OK);
        }

        using var developer = Authorized(platform, await TokenAsync(platform, "dev@example.com"));
        using var viewer = Authorized(platform, await TokenAsync(platform, "view@example.com"));
        using var stranger = Authorized(platform, await TokenAsync(platform, "else@example.com"));
        var data = $"/v1/tenants/{tenant}/collections";
        await WaitRoutedAsync(owner, data);

        // The owner manages collections; the developer writes; the viewer reads only.
        await ReadAsync(await owner.PutAsJsonAsync($"{data}/docs", new { dimension = 2 }), null);
        await platform.ReportUsageAsync();
        var before = await UsageAsync(platform, tenant);

        await ReadAsync(await developer.PostAsJsonAsync($"{data}/docs/points", new { points = new[] { new { id = "a", vector = new[] { 1f, 2f } } } }), null);
        var found = await ReadAsync(await viewer.PostAsJsonAsync($"{data}/docs/search", new { vector = new[] { 1f, 2f } }), HttpStatusCode.OK);
        Assert.Equal("a", found["results"]![0]!["id"]!.GetValue<string>());
        var list = await ReadAsync(await viewer.GetAsync(new Uri(data, UriKind.Relative)), HttpStatusCode.OK);
        Assert.Equal("docs", list["collections"]![0]!["name"]!.GetValue<string>());

        // Refusals name the path the client called, and are not billed.
        var upsert = await ProblemAssert.MatchesAsync(
            await viewer.PostAsJsonAsync($"{data}/docs/points", new { points = new[] { new { id = "b", vector = new[] { 1f, 2f } } } }),
            ProblemCatalog.Forbidden, $"{data}/docs/points");
        Assert.Contains("read_only", (string)upsert["detail"]!, StringComparison.Ordinal);
        await ProblemAssert.MatchesAsync(await developer.PutAsJsonAsync($"{data}/more", new { dimension = 2 }), ProblemCatalog.Forbidden);
        await ProblemAssert.MatchesAsync(await developer.PostAsJsonAsync($"/v1/tenants/{tenant}/api-keys", new { name = "k", role = "read_only" }), ProblemCatalog.Forbidden);

        // Another tenant's member, and a tenant that does not exist, are alike: 404, with nothing forwarded.
        await ProblemAssert.MatchesAsync(await stranger.GetAsync(new Uri(data, UriKind.Relative)), ProblemCatalog.NotFound, data);
        await ProblemAssert.MatchesAsync(await stranger.PostAsJsonAsync($"{data}/docs/search", new { vector = new[] { 1f, 2f } }), ProblemCatalog.NotFound);
        await ProblemAssert.MatchesAsync(await owner.GetAsync(new Uri($"/v1/tenants/{other}/collections", UriKind.Relative)), ProblemCatalog.NotFound);
        await ProblemAssert.MatchesAsync(await owner.GetAsync(new Uri("/v1/tenants/t_nosuchtenant/collections", UriKind.Relative)), ProblemCatalog.NotFound);
        using (var anonymous = platform.Client(null))
        {
            await ProblemAssert.MatchesAsync(await anonymous.GetAsync(new Uri(data, UriKind.Relative)), ProblemCatalog.Unauthorized);
        }

        // An API key has its own path; here it is a valid credential of the wrong kind.
        var key = await ReadAsync(await owner.PostAsJsonAsync($"/v1/tenants/{tenant}/api-keys", new { name = "k", role = "admin" }), HttpStatusCode.Created);
        using (var keyHttp = platform.Client(key["key"]!.GetValue<string>()))
        {
            var wrongKind = await ProblemAssert.MatchesAsync(await keyHttp.GetAsync(new Uri(data, UriKind.Relative)), ProblemCatalog.Forbidden, data);
            Assert.Contains("member's access token", (string)wrongKind["detail"]!, StringComparison.Ordinal);
        }

        // Billed to the tenant: one write, two reads; nothing for the refusals.
        await platform.ReportUsageAsync();
        var after = await UsageAsync(platform, tenant);
        Assert.Equal(2, after["read_units"]!.GetValue<long>() - before["read_units"]!.GetValue<long>());
        Assert.Equal(1, after["write_units"]!.GetValue<long>() - before["write_units"]!.GetValue<long>());

        // A role change applies as soon as its change reaches the gateway, not when the cached role expires.
        await ReadAsync(await developer.PostAsJsonAsync($"{data}/docs/points", new { points = new[] { new { id = "c", vector = new[] { 1f, 2f } } } }), null);
        await ReadAsync(await owner.PatchAsJsonAsync($"/v1/tenants/{tenant}/members/{developerId}", new { role = "viewer" }), HttpStatusCode.OK);
        await ChangesReachedGatewayAsync(platform);
        await ProblemAssert.MatchesAsync(
            await developer.PostAsJsonAsync($"{data}/docs/points", new { points = new[] { new { id = "d", vector = new[] { 1f, 2f } } } }), ProblemCatalog.Forbidden);

        // The viewer's membership is cached (it just served); removed, it stops at once, well within the cache's lifetime.
        Assert.Equal(HttpStatusCode.NoContent, (await owner.DeleteAsync(new Uri($"/v1/tenants/{tenant}/members/{viewerId}", UriKind.Relative))).StatusCode);
        await ChangesReachedGatewayAsync(platform);
        await ProblemAssert.MatchesAsync(await viewer.GetAsync(new Uri(data, UriKind.Relative)), ProblemCatalog.NotFound);
        await ReadAsync(await developer.GetAsync(new Uri(data, UriKind.Relative)), HttpStatusCode.OK);
    }

    // Requests of every kind the route table has: reads, writes, collection management, misses, an id with '/' and
    // '%' that must reach the engine as the client encoded it. Each is idempotent, so keys and members meet the same state.
    private static readonly (string Method, string Path, string? Body)[] Requests =
    [
        ("GET", "collections", null),
        ("GET", "collections/docs", null),
        ("PUT", "collections/docs", """{"dimension":2}"""),
        ("POST", "collections/docs/points", """{"points":[{"id":"a/b%c","vector":[1,2]}]}"""),
        ("GET", "collections/docs/points/a%2Fb%25c", null),
        ("PATCH", "collections/docs/points/a%2Fb%25c", """{"metadata":{"k":1}}"""),
        ("POST", "collections/docs/search", """{"vector":[1,2]}"""),
        ("POST", "collections/docs/count", "{}"),
        ("POST", "collections/docs/points/delete", """{"ids":["nothing"]}"""),
        ("GET", "collections/missing", null),
        ("DELETE", "collections/missing", null),
        ("POST", "collections/docs/search", """{"vector":[1,2,3]}"""),
    ];

    [Fact]
    public async Task EveryMemberRole_AnswersEveryDataRequest_AsAKeyOfItsDataPlaneRole()
    {
        await using var platform = await StartAsync(postgres);
        var tenant = (await SignUpAsync(platform, "own@example.com", "same-a"))["tenant_id"]!.GetValue<string>();
        using var owner = Authorized(platform, await TokenAsync(platform, "own@example.com"));
        var members = new List<(string Role, HttpClient Http)> { ("admin", owner) };
        foreach (var (email, role, dataRole) in new[] { ("dev@example.com", "developer", "read_write"), ("view@example.com", "viewer", "read_only") })
        {
            await SignUpAsync(platform, email, "same-" + role);
            var invitation = await ReadAsync(await owner.PostAsJsonAsync($"/v1/tenants/{tenant}/invitations", new { email, role }), HttpStatusCode.Created);
            var invitee = Authorized(platform, await TokenAsync(platform, email));
            await ReadAsync(await invitee.PostAsJsonAsync("/v1/invitations/accept", new { token = InvitationToken(invitation) }), HttpStatusCode.OK);
            members.Add((dataRole, invitee));
        }

        var data = $"/v1/tenants/{tenant}/";
        await WaitRoutedAsync(owner, data + "collections");
        await ReadAsync(await owner.PutAsJsonAsync(data + "collections/docs", new { dimension = 2 }), HttpStatusCode.Created);
        var failures = new List<string>();
        try
        {
            foreach (var (role, member) in members)
            {
                var created = await ReadAsync(await owner.PostAsJsonAsync($"/v1/tenants/{tenant}/api-keys", new { name = role, role }), HttpStatusCode.Created);
                using var key = platform.Client(created["key"]!.GetValue<string>());
                foreach (var (method, path, body) in Requests)
                {
                    var byKey = await SendAsync(key, method, "/v1/" + path, body);
                    var byMember = await SendAsync(member, method, data + path, body);
                    if (byKey != byMember)
                    {
                        failures.Add($"{method} {path} as {role}: key {byKey}, member {byMember}");
                    }
                }
            }
        }
        finally
        {
            foreach (var (_, http) in members.Skip(1))
            {
                http.Dispose();
            }
        }

        Assert.True(failures.Count == 0, string.Join('\n', failures));
    }

    // Status and, for a problem, its type; for a successful read, the body (the same engine answers both).
    private static async Task<string> SendAsync(HttpClient http, string method, string path, string? body)
    {
        using var request = new HttpRequestMessage(new HttpMethod(method), new Uri(path, UriKind.Relative));
        if (body is not null)
        {
            request.Content = new StringContent(body, System.Text.Encoding.UTF8, "application/json");
        }

        using var response = await http.SendAsync(request);
        var text = await response.Content.ReadAsStringAsync();
        // Write answers carry their log position and descriptions their size on disk: only read answers are compared.
        var read = method == "GET" && path.Contains("/points/", StringComparison.Ordinal) || path.EndsWith("/search", StringComparison.Ordinal) || path.EndsWith("/count", StringComparison.Ordinal);
        var shown = response.IsSuccessStatusCode ? (read ? text : string.Empty) : JsonNode.Parse(text)?["type"]?.GetValue<string>();
        return $"{(int)response.StatusCode} {shown}";
    }

    private static async Task WaitRoutedAsync(HttpClient http, string path)
    {
        for (var deadline = DateTime.UtcNow.AddSeconds(30); ; await Task.Delay(100))
        {
            using var response = await http.GetAsync(new Uri(path, UriKind.Relative));
            if (response.StatusCode == HttpStatusCode.OK)
            {
                return;
            }

            Assert.True(DateTime.UtcNow < deadline, $"never routed: {(int)response.StatusCode} {await response.Content.ReadAsStringAsync()}");
        }
    }

    // Every change written so far has been applied by the gateway's change feed watcher.
    private static async Task ChangesReachedGatewayAsync(PlatformHost platform)
    {
        long lastChange;
        await using (var scope = platform.ControlPlane.App.Services.CreateAsyncScope())
        {
            lastChange = await scope.ServiceProvider.GetRequiredService<Piramid.ControlPlane.Data.ControlPlaneDbContext>().ChangeEvents.MaxAsync(c => c.Id);
        }

        var watcher = platform.Gateway.Services.GetRequiredService<Routing.ChangeFeedWatcher>();
        for (var deadline = DateTime.UtcNow.AddSeconds(30); watcher.Position < lastChange; await Task.Delay(20))
        {
            Assert.True(DateTime.UtcNow < deadline, $"the change feed never reached {lastChange}: {watcher.Position}");
        }
    }

    private static async Task<JsonObject> UsageAsync(PlatformHost platform, string tenantId)
    {
        using var admin = await platform.ControlPlane.ClientAsync(platform.ControlPlane.Operator);
        return (await admin.GetFromJsonAsync<JsonObject>($"/v1/tenants/{tenantId}/usage"))!;
    }

    private static async Task<string> TokenAsync(PlatformHost platform, string email)
    {
        using var browser = new PortalBrowser(platform.GatewayAddress);
        return (await browser.SignInAsync(email, Password))["access_token"]!.GetValue<string>();
    }

    private static string InvitationToken(JsonObject invitation)
    {
        var url = invitation["invite_url"]!.GetValue<string>();
        var at = url.IndexOf("#token=", StringComparison.Ordinal);
        Assert.True(at > 0, url);
        return url[(at + "#token=".Length)..];
    }

    // The body of an answer with the expected status (null: any success).
    private static async Task<JsonObject> ReadAsync(HttpResponseMessage response, HttpStatusCode? expected)
    {
        using (response)
        {
            var text = await response.Content.ReadAsStringAsync();
            Assert.True(expected is null ? response.IsSuccessStatusCode : response.StatusCode == expected, $"{response.RequestMessage?.Method} {response.RequestMessage?.RequestUri}: {(int)response.StatusCode} {text}");
            return JsonNode.Parse(text)!.AsObject();
        }
    }
}
