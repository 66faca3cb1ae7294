using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using Piramid.Gateway.Tests.Support;
using Piramid.TestKit.Platform;
using static Piramid.Gateway.Tests.Support.Probe;

namespace Piramid.Gateway.Tests;

/// <summary><c>/v1/api-keys</c>: a tenant's unscoped admin key manages its own tenant's keys, and nobody else's.</summary>
[Collection(GatewayCollection.Name)]
public sealed class TenantKeysTests(PostgresFixture postgres)
{
    [Fact]
    public async Task AdminKey_CreatesListsRotatesAndRevokesItsOwnTenantsKeys()
    {
        await using var platform = await PlatformHost.StartAsync(postgres);
        var (tenantId, adminKey) = await platform.TenantWithKeyAsync("self-service");
        using var admin = platform.Client(adminKey);
        await WaitRoutedAsync(admin);

        using var created = await admin.PostAsJsonAsync("/v1/api-keys", new { name = "reader", role = "read_only" });
        Assert.Equal(HttpStatusCode.Created, created.StatusCode);
        var reader = (await created.Content.ReadFromJsonAsync<JsonObject>())!;
        Assert.Equal(tenantId, reader["tenant_id"]!.GetValue<string>());
        using var readerClient = platform.Client(reader["key"]!.GetValue<string>());
        Assert.Equal(HttpStatusCode.OK, (await readerClient.GetAsync(new Uri("/v1/collections", UriKind.Relative))).StatusCode);

        var listed = await admin.GetFromJsonAsync<JsonObject>("/v1/api-keys");
        Assert.Equal(2, listed!["api_keys"]!.AsArray().Count);
        Assert.All(listed["api_keys"]!.AsArray(), k => Assert.Null(k!["key"]));

        var keyId = reader["id"]!.GetValue<string>();
        using var rotated = await admin.PostAsJsonAsync($"/v1/api-keys/{keyId}/rotate", new { grace_period_seconds = 0 });
        Assert.Equal(HttpStatusCode.OK, rotated.StatusCode);
        Assert.Equal(HttpStatusCode.NoContent, (await admin.DeleteAsync(new Uri($"/v1/api-keys/{keyId}", UriKind.Relative))).StatusCode);

        // The trail names the acting key, not the gateway.
        using var operatorClient = await platform.ControlPlane.ClientAsync(platform.ControlPlane.Operator);
        var audit = await operatorClient.GetFromJsonAsync<JsonObject>($"/v1/tenants/{tenantId}/audit");
        var actors = audit!["events"]!.AsArray().Where(e => e!["action"]!.GetValue<string>() == "api_key.revoke").Select(e => e!["actor"]!.GetValue<string>());
        Assert.Equal([$"key:{adminKey.Split('_')[1]}"], actors);
    }

    [Fact]
    public async Task OnlyUnscopedAdminKeys_MayManageKeys_AndNeverAnotherTenants()
    {
        await using var platform = await PlatformHost.StartAsync(postgres);
        var (tenantA, adminA) = await platform.TenantWithKeyAsync("keys-a");
        var (_, adminB) = await platform.TenantWithKeyAsync("keys-b");
        var writer = await platform.KeyAsync(tenantA, "read_write");
        var scopedAdmin = await platform.KeyAsync(tenantA, "admin", ["docs"]);
        using var a = platform.Client(adminA);
        using var b = platform.Client(adminB);
        await WaitRoutedAsync(a);
        await WaitRoutedAsync(b);

        foreach (var key in new[] { writer, scopedAdmin })
        {
            using var client = platform.Client(key);
            var (status, type, _) = await ProblemAsync(await client.PostAsJsonAsync("/v1/api-keys", new { name = "escalate", role = "admin" }));
            Assert.Equal(403, status);
            Assert.Equal(Contracts.Problems.ProblemTypes.Forbidden, type);
        }

        // B cannot see, rotate or revoke A's key: it is not in B's tenant.
        var keyOfA = adminA.Split('_')[1];
        Assert.Equal(404, (await ProblemAsync(await b.DeleteAsync(new Uri($"/v1/api-keys/{keyOfA}", UriKind.Relative)))).Status);
        Assert.Equal(404, (await ProblemAsync(await b.PostAsJsonAsync($"/v1/api-keys/{keyOfA}/rotate", new { }))).Status);
        var listedByB = await b.GetFromJsonAsync<JsonObject>("/v1/api-keys");
        Assert.DoesNotContain(listedByB!["api_keys"]!.AsArray(), k => k!["id"]!.GetValue<string>() == keyOfA);
        Assert.Equal(HttpStatusCode.OK, (await a.GetAsync(new Uri("/v1/collections", UriKind.Relative))).StatusCode);

        // A client-sent actor header is not believed.
        using var spoof = new HttpRequestMessage(HttpMethod.Post, new Uri("/v1/api-keys", UriKind.Relative)) { Content = JsonContent.Create(new { name = "x", role = "read_only" }) };
        spoof.Headers.Add("X-Piramid-Actor", "operator");
        (await a.SendAsync(spoof)).EnsureSuccessStatusCode();
        using var operatorClient = await platform.ControlPlane.ClientAsync(platform.ControlPlane.Operator);
        var audit = await operatorClient.GetFromJsonAsync<JsonObject>($"/v1/tenants/{tenantA}/audit");
        Assert.DoesNotContain(audit!["events"]!.AsArray(), e => e!["actor"]!.GetValue<string>() == "operator");
    }

    [Fact]
    public async Task ControlPlaneProblems_OnApiKeys_NameThePublicPath_NeverTheInternalRoute()
    {
        await using var platform = await PlatformHost.StartAsync(postgres);
        var (_, adminKey) = await platform.TenantWithKeyAsync("keys-instance");
        using var admin = platform.Client(adminKey);
        await WaitRoutedAsync(admin);

        // A key that is not there (404) and a body the control plane refuses (400), both answered behind the gateway.
        using var missing = await admin.DeleteAsync(new Uri("/v1/api-keys/nosuchkey", UriKind.Relative));
        Assert.DoesNotContain("/internal", (string?)(await TestKit.Http.ProblemAssert.MatchesAsync(missing, Contracts.Problems.ProblemCatalog.NotFound))["instance"], StringComparison.Ordinal);

        // A client-sent client path is not believed either.
        using var spoofed = new HttpRequestMessage(HttpMethod.Post, new Uri("/v1/api-keys", UriKind.Relative)) { Content = JsonContent.Create(new { name = "", role = "nobody" }) };
        spoofed.Headers.Add("X-Piramid-Client-Path", "/elsewhere");
        using var invalid = await admin.SendAsync(spoofed);
        await TestKit.Http.ProblemAssert.MatchesAsync(invalid, Contracts.Problems.ProblemCatalog.InvalidRequest, "/v1/api-keys");
    }
}
