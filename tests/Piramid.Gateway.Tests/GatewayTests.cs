using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using Piramid.Gateway.Authentication;
using Piramid.Gateway.Tests.Support;
using Piramid.TestKit.Platform;
using static Piramid.Gateway.Tests.Support.Probe;

namespace Piramid.Gateway.Tests;

/// <summary>The gateway as the only door: real control plane, engines, PostgreSQL and HTTP on loopback.</summary>
[Collection(GatewayCollection.Name)]
public sealed class GatewayTests(PostgresFixture postgres)
{
    [Fact]
    public async Task TenantIsolation_AnotherTenantsCollectionIsExactlyLikeAMissingOne()
    {
        await using var platform = await PlatformHost.StartAsync(postgres);
        var (_, keyA) = await platform.TenantWithKeyAsync("tenant-a");
        var (_, keyB) = await platform.TenantWithKeyAsync("tenant-b");
        using var a = platform.Client(keyA);
        using var b = platform.Client(keyB);
        await WaitRoutedAsync(a);
        await WaitRoutedAsync(b);

        (await a.PutAsJsonAsync("/v1/collections/docs", new { dimension = 2 })).EnsureSuccessStatusCode();
        (await a.PostAsJsonAsync("/v1/collections/docs/points", new { points = new[] { new { id = "secret", vector = new[] { 1f, 2f } } } })).EnsureSuccessStatusCode();

        var theirs = await ProblemAsync(await b.GetAsync(new Uri("/v1/collections/docs", UriKind.Relative)));
        var missing = await ProblemAsync(await b.GetAsync(new Uri("/v1/collections/nothing-here", UriKind.Relative)));
        Assert.Equal(404, theirs.Status);
        Assert.Equal((missing.Type, missing.Title), (theirs.Type, theirs.Title));
        Assert.Equal(404, (await ProblemAsync(await b.PostAsJsonAsync("/v1/collections/docs/search", new { vector = new[] { 1f, 2f } }))).Status);
        var listed = await b.GetFromJsonAsync<JsonObject>("/v1/collections");
        Assert.Empty(listed!["collections"]!.AsArray());

        // Same name in B is B's own collection: A's point never shows.
        (await b.PutAsJsonAsync("/v1/collections/docs", new { dimension = 2 })).EnsureSuccessStatusCode();
        Assert.Equal(0, await CountAsync(b, "docs"));
    }

    [Fact]
    public async Task Roles_ReadOnlyCannotWrite_ScopedKeyStaysInItsCollections()
    {
        await using var platform = await PlatformHost.StartAsync(postgres);
        var (tenant, adminKey) = await platform.TenantWithKeyAsync("roles");
        using var admin = platform.Client(adminKey);
        await WaitRoutedAsync(admin);
        (await admin.PutAsJsonAsync("/v1/collections/docs", new { dimension = 2 })).EnsureSuccessStatusCode();
        (await admin.PutAsJsonAsync("/v1/collections/other", new { dimension = 2 })).EnsureSuccessStatusCode();

        using var reader = platform.Client(await platform.KeyAsync(tenant, "read_only"));
        Assert.Equal(403, (int)(await reader.PostAsJsonAsync("/v1/collections/docs/points", new { points = new[] { new { id = "x", vector = new[] { 1f, 2f } } } })).StatusCode);
        Assert.Equal(403, (int)(await reader.DeleteAsync(new Uri("/v1/collections/docs", UriKind.Relative))).StatusCode);
        Assert.Equal(200, (int)(await reader.PostAsJsonAsync("/v1/collections/docs/search", new { vector = new[] { 1f, 2f } })).StatusCode);

        using var writer = platform.Client(await platform.KeyAsync(tenant, "read_write"));
        Assert.Equal(403, (int)(await writer.PutAsJsonAsync("/v1/collections/new", new { dimension = 2 })).StatusCode);
        Assert.Equal(200, (int)(await writer.PostAsJsonAsync("/v1/collections/docs/points", new { points = new[] { new { id = "x", vector = new[] { 1f, 2f } } } })).StatusCode);

        using var scoped = platform.Client(await platform.KeyAsync(tenant, "read_write", ["docs"]));
        Assert.Equal(403, (int)(await scoped.PostAsJsonAsync("/v1/collections/other/search", new { vector = new[] { 1f, 2f } })).StatusCode);
        Assert.Equal(200, (int)(await scoped.PostAsJsonAsync("/v1/collections/docs/search", new { vector = new[] { 1f, 2f } })).StatusCode);
    }

    [Fact]
    public async Task RevokedKey_IsRefusedWithinSeconds_WithTheSame401AsAnyBadKey()
    {
        await using var platform = await PlatformHost.StartAsync(postgres);
        var (tenant, key) = await platform.TenantWithKeyAsync("revoke");
        using var http = platform.Client(key);
        await WaitRoutedAsync(http);

        using (var admin = await platform.ControlPlane.ClientAsync(platform.ControlPlane.Operator))
        {
            var keyId = key.Split('_')[1];
            (await admin.DeleteAsync(new Uri($"/v1/tenants/{tenant}/api-keys/{keyId}", UriKind.Relative))).EnsureSuccessStatusCode();
        }

        var deadline = DateTime.UtcNow.AddSeconds(10);
        HttpStatusCode status;
        do
        {
            status = (await http.GetAsync(new Uri("/v1/collections", UriKind.Relative))).StatusCode;
            if (status != HttpStatusCode.Unauthorized)
            {
                await Task.Delay(100);
            }
        }
        while (status != HttpStatusCode.Unauthorized && DateTime.UtcNow < deadline);
        Assert.Equal(HttpStatusCode.Unauthorized, status);

        using var garbage = platform.Client("pk_0123456789abcdef_AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA");
        using var none = platform.Client(null);
        var bodies = new List<string>();
        foreach (var client in new[] { http, garbage, none })
        {
            using var response = await client.GetAsync(new Uri("/v1/collections", UriKind.Relative));
            Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
            var node = JsonNode.Parse(await response.Content.ReadAsStringAsync())!.AsObject();
            node.Remove("instance");
            node.Remove("request_id");
            node.Remove("trace_id");
            node.Remove("traceId");
            bodies.Add(node.ToJsonString());
        }

        Assert.Single(bodies.Distinct());
    }

    [Fact]
    public async Task InvalidKeyFlood_ReachesTheControlPlaneOnce()
    {
        await using var platform = await PlatformHost.StartAsync(postgres);
        var cache = platform.Gateway.Services.GetRequiredService<KeyCache>();
        using var bad = platform.Client("pk_fedcba9876543210_BBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBB");
        var before = cache.Lookups;
        for (var i = 0; i < 50; i++)
        {
            Assert.Equal(HttpStatusCode.Unauthorized, (await bad.GetAsync(new Uri("/v1/collections", UriKind.Relative))).StatusCode);
        }

        Assert.Equal(1, cache.Lookups - before);
    }

    [Fact]
    public async Task ClientSentInternalHeaders_AreStripped_AndTheKeyNeverReachesTheEngine()
    {
        await using var platform = await PlatformHost.StartAsync(postgres);
        var (_, key) = await platform.TenantWithKeyAsync("headers");
        using var http = platform.Client(key);
        await WaitRoutedAsync(http);
        http.DefaultRequestHeaders.Add("X-Piramid-Identity", "v1.forged.forged");
        http.DefaultRequestHeaders.Add("X-Piramid-Tenant", "t_someone_else");
        Assert.Equal(HttpStatusCode.OK, (await http.GetAsync(new Uri("/v1/collections", UriKind.Relative))).StatusCode);

        using var anonymous = platform.Client(null);
        anonymous.DefaultRequestHeaders.Add("X-Piramid-Identity", "v1.forged.forged");
        Assert.Equal(HttpStatusCode.Unauthorized, (await anonymous.GetAsync(new Uri("/v1/collections", UriKind.Relative))).StatusCode);
    }

    [Fact]
    public async Task RateLimit_AdmitsTheTokenBucketArithmetic_AndOtherTenantsAreUnaffected()
    {
        await using var platform = await PlatformHost.StartAsync(postgres);
        using (var admin = await platform.ControlPlane.ClientAsync(platform.ControlPlane.Operator))
        {
            (await admin.PutAsJsonAsync("/v1/plans/limited", new
            {
                name = "Limited",
                max_collections = 5,
                max_points = 1000,
                max_storage_bytes = 1L << 30,
                max_dimension = 8,
                read_rate_per_second = 20,
                read_burst = 20,
                write_rate_per_second = 5,
                write_burst = 5,
                monthly_read_units = 1_000_000,
                monthly_write_units = 1_000_000,
            })).EnsureSuccessStatusCode();
        }

        var (limitedTenant, limitedKey) = await platform.TenantWithKeyAsync("limited-tenant");
        using (var admin = await platform.ControlPlane.ClientAsync(platform.ControlPlane.Operator))
        {
            (await admin.PatchAsJsonAsync($"/v1/tenants/{limitedTenant}", new { plan = "limited" })).EnsureSuccessStatusCode();
        }

        var (_, otherKey) = await platform.TenantWithKeyAsync("bystander");
        using var limited = platform.Client(limitedKey);
        using var other = platform.Client(otherKey);
        await WaitRoutedAsync(other);
        var deadline = DateTime.UtcNow.AddSeconds(15);
        while ((await limited.GetAsync(new Uri("/v1/collections", UriKind.Relative))).StatusCode != HttpStatusCode.OK)
        {
            Assert.True(DateTime.UtcNow < deadline, "the limited tenant was never routed");
            await Task.Delay(200);
        }

        // Let the bucket refill completely, then send as fast as one client can for two seconds.
        await Task.Delay(1500);
        var admitted = 0;
        var refused = 0;
        string? retryAfter = null;
        var clock = System.Diagnostics.Stopwatch.StartNew();
        var lastSent = TimeSpan.Zero;
        while (clock.Elapsed < TimeSpan.FromSeconds(2))
        {
            lastSent = clock.Elapsed;
            using var response = await limited.GetAsync(new Uri("/v1/collections", UriKind.Relative));
            if (response.StatusCode == HttpStatusCode.OK)
            {
                admitted++;
            }
            else
            {
                Assert.Equal(HttpStatusCode.TooManyRequests, response.StatusCode);
                retryAfter ??= response.Headers.RetryAfter?.ToString();
                Assert.True(response.Headers.Contains("RateLimit-Limit"));
                refused++;
            }
        }

        // Tokens that could be used: the burst plus the refill until the last request was sent (on a busy machine
        // the last answer can take long, and tokens refilled after it was sent have no request left to take them).
        var expected = 20 + (20 * lastSent.TotalSeconds);
        Assert.True(refused > 0, "nothing was refused");
        Assert.NotNull(retryAfter);
        Assert.InRange(admitted, expected * 0.9, expected * 1.1);
        Assert.Equal(HttpStatusCode.OK, (await other.GetAsync(new Uri("/v1/collections", UriKind.Relative))).StatusCode);
    }
}
