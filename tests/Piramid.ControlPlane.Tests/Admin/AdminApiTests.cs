using System.Net;
using System.Net.Http.Json;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json.Nodes;
using Piramid.Contracts.Identity;
using Piramid.Contracts.Problems;
using Piramid.Contracts.Routes;
using Piramid.ControlPlane.Keys;
using Piramid.ControlPlane.Orchestration;
using Piramid.ControlPlane.Tests.Support;
using Piramid.TestKit.Http;

namespace Piramid.ControlPlane.Tests.Admin;

/// <summary>The admin and internal APIs end to end: real tokens, real PostgreSQL, real engine processes.</summary>
[Collection(PostgresCollection.Name)]
public sealed class AdminApiTests(PostgresFixture postgres)
{
    [Fact]
    public async Task TenantLifecycle_KeysIntrospectionSuspendResumeDelete()
    {
        await using var host = await ControlPlaneHost.StartAsync(postgres);
        using var admin = await host.ClientAsync(host.Operator);
        using var gateway = await host.ClientAsync(host.Gateway);

        var tenant = await SendAsync(admin, HttpMethod.Post, "/v1/tenants", new { name = "acme", plan = "free" }, HttpStatusCode.Created);
        var tenantId = tenant["id"]!.GetValue<string>();
        Assert.Equal("active", tenant["status"]!.GetValue<string>());
        Assert.Equal("running", tenant["engine_state"]!.GetValue<string>());

        var key = await SendAsync(admin, HttpMethod.Post, $"/v1/tenants/{tenantId}/api-keys", new { name = "ci", role = "read_write", collections = new[] { "docs" } }, HttpStatusCode.Created);
        var secretKey = key["key"]!.GetValue<string>();
        Assert.StartsWith("pk_", secretKey, StringComparison.Ordinal);
        var listed = await SendAsync(admin, HttpMethod.Get, $"/v1/tenants/{tenantId}/api-keys", null, HttpStatusCode.OK);
        Assert.Null(listed["api_keys"]![0]!["key"]);

        var introspected = await IntrospectAsync(gateway, secretKey);
        Assert.Equal(HttpStatusCode.OK, introspected.Status);
        Assert.Equal(tenantId, introspected.Body!["tenant_id"]!.GetValue<string>());
        Assert.Equal(["docs"], introspected.Body["collections"]!.AsArray().Select(c => c!.GetValue<string>()));
        Assert.Equal(100_000, introspected.Body["plan"]!["max_points"]!.GetValue<long>());

        var routes = await SendAsync(gateway, HttpMethod.Get, "/internal/v1/routes", null, HttpStatusCode.OK);
        Assert.Contains(routes["routes"]!.AsArray(), r => r!["tenant_id"]!.GetValue<string>() == tenantId);

        var suspended = await SendAsync(admin, HttpMethod.Post, $"/v1/tenants/{tenantId}/suspend", null, HttpStatusCode.OK);
        Assert.Equal(("suspended", "stopped"), (suspended["status"]!.GetValue<string>(), suspended["engine_state"]!.GetValue<string>()));
        var whileSuspended = await IntrospectAsync(gateway, secretKey);
        Assert.Equal(HttpStatusCode.OK, whileSuspended.Status);
        Assert.True(whileSuspended.Body!["tenant_suspended"]!.GetValue<bool>());

        var resumed = await SendAsync(admin, HttpMethod.Post, $"/v1/tenants/{tenantId}/resume", null, HttpStatusCode.OK);
        Assert.Equal(("active", "running"), (resumed["status"]!.GetValue<string>(), resumed["engine_state"]!.GetValue<string>()));
        var afterResume = await IntrospectAsync(gateway, secretKey);
        Assert.Equal(HttpStatusCode.OK, afterResume.Status);

        var changes = await SendAsync(gateway, HttpMethod.Get, "/internal/v1/changes?after=0", null, HttpStatusCode.OK);
        Assert.Contains(changes["changes"]!.AsArray(), c => c!["kind"]!.GetValue<string>() == "tenant" && c["subject"]!.GetValue<string>() == tenantId);
        var last = changes["last_id"]!.GetValue<long>();

        // The answer names the change-feed events it reflects: the resume's at least (so the gateway keeps it when
        // that event reaches it later), and none that did not exist yet.
        var resumeChange = changes["changes"]!.AsArray()
            .Where(c => c!["kind"]!.GetValue<string>() == "tenant" && c["subject"]!.GetValue<string>() == tenantId)
            .Max(c => c!["id"]!.GetValue<long>());
        var through = afterResume.Body!["changes_through"]!.GetValue<long>();
        Assert.InRange(through, resumeChange, last);

        var deleted = await SendAsync(admin, HttpMethod.Delete, $"/v1/tenants/{tenantId}", null, HttpStatusCode.OK);
        Assert.Equal("deleted", deleted["status"]!.GetValue<string>());
        Assert.NotNull(deleted["purge_after"]);
        Assert.Equal(HttpStatusCode.NotFound, (await IntrospectAsync(gateway, secretKey)).Status);
        var after = await SendAsync(gateway, HttpMethod.Get, $"/internal/v1/changes?after={last}", null, HttpStatusCode.OK);
        Assert.Contains(after["changes"]!.AsArray(), c => c!["kind"]!.GetValue<string>() == "key");
        var keysAfter = await SendAsync(admin, HttpMethod.Get, $"/v1/tenants/{tenantId}/api-keys", null, HttpStatusCode.OK);
        Assert.NotNull(keysAfter["api_keys"]![0]!["revoked_at"]);

        var audit = host.App.Services.CreateScope().ServiceProvider.GetRequiredService<Piramid.ControlPlane.Data.ControlPlaneDbContext>().AuditEvents
            .Where(a => a.TenantId == tenantId).Select(a => a.Action).ToList();
        Assert.Equal(["tenant.create", "api_key.create", "tenant.suspend", "tenant.resume", "tenant.delete"], audit);
    }

    [Fact]
    public async Task KeySecret_AppearsNeitherInTheDatabaseNorInTheLogs()
    {
        await using var host = await ControlPlaneHost.StartAsync(postgres);
        using var admin = await host.ClientAsync(host.Operator);
        var tenant = await SendAsync(admin, HttpMethod.Post, "/v1/tenants", new { name = "secretive" }, HttpStatusCode.Created);
        var key = await SendAsync(admin, HttpMethod.Post, $"/v1/tenants/{tenant["id"]}/api-keys", new { name = "k", role = "admin" }, HttpStatusCode.Created);
        var rotated = await SendAsync(admin, HttpMethod.Post, $"/v1/tenants/{tenant["id"]}/api-keys/{key["id"]}/rotate", new { grace_period_seconds = 60 }, HttpStatusCode.OK);
        ApiKeyFormat.TryParse(key["key"]!.GetValue<string>(), out _, out var first);
        ApiKeyFormat.TryParse(rotated["key"]!.GetValue<string>(), out _, out var second);

        var dump = await postgres.Server.DumpAsync(host.Database);
        Assert.DoesNotContain(first, dump, StringComparison.Ordinal);
        Assert.DoesNotContain(second, dump, StringComparison.Ordinal);
        Assert.DoesNotContain(host.Operator.ClientSecret, dump, StringComparison.Ordinal);
        Assert.DoesNotContain(first, host.Logs.Text, StringComparison.Ordinal);
        Assert.DoesNotContain(second, host.Logs.Text, StringComparison.Ordinal);
        Assert.Contains("Microsoft.AspNetCore", host.Logs.Text, StringComparison.Ordinal); // logs were captured at all
    }

    [Fact]
    public async Task AdminAndInternalRoutes_RefuseTheWrongCaller()
    {
        await using var host = await ControlPlaneHost.StartAsync(postgres);
        using var anonymous = await host.ClientAsync(null);
        using var gateway = await host.ClientAsync(host.Gateway);
        using var admin = await host.ClientAsync(host.Operator);

        Assert.Equal(HttpStatusCode.Unauthorized, (await anonymous.GetAsync(new Uri("/v1/tenants", UriKind.Relative))).StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, (await gateway.GetAsync(new Uri("/v1/tenants", UriKind.Relative))).StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, (await admin.GetAsync(new Uri("/internal/v1/routes", UriKind.Relative))).StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, (await anonymous.GetAsync(new Uri("/internal/v1/routes", UriKind.Relative))).StatusCode);
        using var forged = await host.ClientAsync(null);
        forged.DefaultRequestHeaders.Authorization = new("Bearer", "eyJhbGciOiJub25lIn0.eyJzdWIiOiJ4Iiwicm9sZSI6InBsYXRmb3JtX2FkbWluIn0.");
        Assert.Equal(HttpStatusCode.Unauthorized, (await forged.GetAsync(new Uri("/v1/tenants", UriKind.Relative))).StatusCode);
    }

    [Theory]
    [InlineData("POST", "/v1/tenants", """{"name":"Bad Name"}""", 400, "name")]
    [InlineData("POST", "/v1/tenants", """{"name":"ok","plan":"gold"}""", 400, "gold")]
    [InlineData("POST", "/v1/tenants", """{"name":"ok","colour":"red"}""", 400, "")]
    [InlineData("POST", "/v1/tenants", """{"name":""", 400, "")]
    [InlineData("GET", "/v1/tenants/t_missing", null, 404, "t_missing")]
    [InlineData("POST", "/v1/tenants/t_missing/api-keys", """{"name":"k","role":"admin"}""", 404, "t_missing")]
    [InlineData("PUT", "/v1/plans/tiny", """{"name":"Tiny"}""", 400, "required")]
    [InlineData("PUT", "/v1/plans/BAD", """{"name":"x"}""", 400, "plan id")]
    [InlineData("POST", "/v1/tenants", """{"name":"acme\n"}""", 400, "name")] // '$' matches before a final '\n'
    [InlineData("PUT", "/v1/plans/tiny%0A", """{"name":"x"}""", 400, "plan id")]
    [InlineData("PUT", "/v1/plans/free", """{"max_requests_in_flight":0}""", 400, "max_requests_in_flight")]
    [InlineData("PUT", "/v1/plans/free", """{"engine_memory_bytes":1048576}""", 400, "engine_memory_bytes")]
    [InlineData("PUT", "/v1/plans/free", """{"audit_retention_days":36501}""", 400, "audit_retention_days")]
    public async Task BadInput_IsAProblemNeverA5xx(string method, string path, string? body, int status, string detail)
    {
        await using var host = await ControlPlaneHost.StartAsync(postgres);
        using var admin = await host.ClientAsync(host.Operator);
        using var request = new HttpRequestMessage(new HttpMethod(method), path);
        if (body is not null)
        {
            request.Content = new StringContent(body, Encoding.UTF8, "application/json");
        }

        using var response = await admin.SendAsync(request);
        var text = await response.Content.ReadAsStringAsync();
        Assert.True(status == (int)response.StatusCode, $"{method} {path}: {(int)response.StatusCode} {text}");
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        Assert.Contains(detail, JsonNode.Parse(text)!["detail"]!.GetValue<string>(), StringComparison.OrdinalIgnoreCase);
    }

    [Fact]
    public async Task IdempotencyKey_ReplaysTheFirstReply_AndRefusesReuseForAnotherRequest()
    {
        await using var host = await ControlPlaneHost.StartAsync(postgres);
        using var admin = await host.ClientAsync(host.Operator);
        admin.DefaultRequestHeaders.Add("Idempotency-Key", "create-once");
        var first = await SendAsync(admin, HttpMethod.Post, "/v1/tenants", new { name = "once" }, HttpStatusCode.Created);
        var again = await SendAsync(admin, HttpMethod.Post, "/v1/tenants", new { name = "once" }, HttpStatusCode.Created);
        Assert.Equal(first["id"]!.GetValue<string>(), again["id"]!.GetValue<string>());
        var list = await SendAsync(admin, HttpMethod.Get, "/v1/tenants", null, HttpStatusCode.OK);
        Assert.Single(list["tenants"]!.AsArray(), t => t!["name"]!.GetValue<string>() == "once");

        using var reuse = new HttpRequestMessage(HttpMethod.Post, "/v1/tenants") { Content = JsonContent.Create(new { name = "other" }) };
        using var refused = await admin.SendAsync(reuse);
        Assert.Equal(422, (int)refused.StatusCode);
    }

    /// <summary>
    /// The admin API reads <c>Idempotency-Key</c> with the same rule as the engine's point writes
    /// (<see cref="IdempotentRoutes.IsValidKey"/>): anything but 1 to 255 printable ASCII characters is a 400 naming
    /// the header, and nothing is created. Before, only the length was checked.
    /// </summary>
    [Fact]
    public async Task MalformedIdempotencyKeys_Are400NamingTheHeader_AndCreateNothing()
    {
        await using var host = await ControlPlaneHost.StartAsync(postgres);
        using var handler = new SocketsHttpHandler { RequestHeaderEncodingSelector = (_, _) => Encoding.UTF8 };
        using var admin = new HttpClient(handler) { BaseAddress = host.BaseAddress };
        admin.DefaultRequestHeaders.Authorization = new System.Net.Http.Headers.AuthenticationHeaderValue("Bearer", await host.TokenAsync(host.Operator));
        string[] malformed = ["a\tb", new string('k', 256), "cl\u00e9", "\u00a0x", "x\u007f"];
        for (var i = 0; i < malformed.Length; i++)
        {
            using var request = new HttpRequestMessage(HttpMethod.Post, "/v1/tenants") { Content = JsonContent.Create(new { name = $"malformed-{i}" }) };
            Assert.True(request.Headers.TryAddWithoutValidation("Idempotency-Key", malformed[i]));
            using var response = await admin.SendAsync(request);
            var problem = await ProblemAssert.MatchesAsync(response, ProblemCatalog.InvalidRequest);
            Assert.Contains("Idempotency-Key", (string)problem["detail"]!, StringComparison.Ordinal);
        }

        var tenants = await SendAsync(admin, HttpMethod.Get, "/v1/tenants", null, HttpStatusCode.OK);
        Assert.DoesNotContain(tenants["tenants"]!.AsArray(), t => t!["name"]!.GetValue<string>().StartsWith("malformed-", StringComparison.Ordinal));

        using var longest = new HttpRequestMessage(HttpMethod.Post, "/v1/tenants") { Content = JsonContent.Create(new { name = "longest-key" }) };
        longest.Headers.Add("Idempotency-Key", new string('~', 255));
        using var accepted = await admin.SendAsync(longest);
        Assert.Equal(HttpStatusCode.Created, accepted.StatusCode);
    }

    /// <summary>
    /// A key's secret is shown once and never stored, so a replayed creation cannot repeat it. The client that lost
    /// the first answer still gets the key's id, and rotating that key with no grace period (docs/API.md) gives it a
    /// working secret while the lost one stops working.
    /// </summary>
    [Fact]
    public async Task ReplayedKeyCreation_AnswersTheKeyWithoutItsSecret_AndRotatingItRecovers()
    {
        await using var host = await ControlPlaneHost.StartAsync(postgres);
        using var admin = await host.ClientAsync(host.Operator);
        using var gateway = await host.ClientAsync(host.Gateway);
        var tenantId = (await SendAsync(admin, HttpMethod.Post, "/v1/tenants", new { name = "lost" }, HttpStatusCode.Created))["id"]!.GetValue<string>();

        async Task<JsonNode> CreateOnceAsync()
        {
            using var request = new HttpRequestMessage(HttpMethod.Post, $"/v1/tenants/{tenantId}/api-keys")
            {
                Content = JsonContent.Create(new { name = "ci", role = "read_write" }, options: ControlPlaneHost.Json),
            };
            request.Headers.Add("Idempotency-Key", "create-key-once");
            using var response = await admin.SendAsync(request);
            Assert.Equal(HttpStatusCode.Created, response.StatusCode);
            return JsonNode.Parse(await response.Content.ReadAsStringAsync())!;
        }

        var first = await CreateOnceAsync();
        var lostSecret = first["key"]!.GetValue<string>();
        var replayed = await CreateOnceAsync();
        Assert.Equal(first["id"]!.GetValue<string>(), replayed["id"]!.GetValue<string>());
        Assert.Null(replayed["key"]);
        var keys = await SendAsync(admin, HttpMethod.Get, $"/v1/tenants/{tenantId}/api-keys", null, HttpStatusCode.OK);
        Assert.Single(keys["api_keys"]!.AsArray());

        var rotated = await SendAsync(admin, HttpMethod.Post, $"/v1/tenants/{tenantId}/api-keys/{replayed["id"]}/rotate", new { grace_period_seconds = 0 }, HttpStatusCode.OK);
        var recovered = rotated["key"]!.GetValue<string>();
        Assert.NotEqual(lostSecret, recovered);
        Assert.Equal(HttpStatusCode.OK, (await IntrospectAsync(gateway, recovered)).Status);
        Assert.NotEqual(HttpStatusCode.OK, (await IntrospectAsync(gateway, lostSecret)).Status);
    }

    [Fact]
    public async Task PlanFields_OfRequestsInFlightMemoryAndAuditRetention_DefaultForANewPlan_AndAreSetAndListed()
    {
        await using var host = await ControlPlaneHost.StartAsync(postgres);
        using var admin = await host.ClientAsync(host.Operator);
        var required = new
        {
            max_collections = 1,
            max_points = 10,
            max_storage_bytes = 1L << 30,
            max_dimension = 8,
            read_rate_per_second = 10,
            read_burst = 10,
            write_rate_per_second = 10,
            write_burst = 10,
            monthly_read_units = 1000,
            monthly_write_units = 1000,
        };
        var created = await SendAsync(admin, HttpMethod.Put, "/v1/plans/plain", required, HttpStatusCode.OK);
        Assert.Equal(64, created["max_requests_in_flight"]!.GetValue<int>());
        Assert.Equal(2L << 30, created["engine_memory_bytes"]!.GetValue<long>());
        Assert.Equal(365, created["audit_retention_days"]!.GetValue<int>());

        var changed = await SendAsync(admin, HttpMethod.Put, "/v1/plans/plain",
            new { max_requests_in_flight = 5, engine_memory_bytes = 64L << 20, audit_retention_days = 30 }, HttpStatusCode.OK);
        Assert.Equal((5, 64L << 20, 30), (changed["max_requests_in_flight"]!.GetValue<int>(), changed["engine_memory_bytes"]!.GetValue<long>(), changed["audit_retention_days"]!.GetValue<int>()));
        Assert.Equal(10, changed["max_points"]!.GetValue<long>()); // the rest kept

        var listed = (await SendAsync(admin, HttpMethod.Get, "/v1/plans", null, HttpStatusCode.OK))["plans"]!.AsArray();
        var plain = listed.Single(p => p!["id"]!.GetValue<string>() == "plain")!;
        Assert.Equal(5, plain["max_requests_in_flight"]!.GetValue<int>());
        var free = listed.Single(p => p!["id"]!.GetValue<string>() == "free")!; // a plan from before the fields: the migration's defaults
        Assert.Equal((64, 2L << 30, 365), (free["max_requests_in_flight"]!.GetValue<int>(), free["engine_memory_bytes"]!.GetValue<long>(), free["audit_retention_days"]!.GetValue<int>()));
    }

    [Fact]
    public async Task PlanLimits_ReachTheEngine_WhichRefusesWritesPastThem()
    {
        await using var host = await ControlPlaneHost.StartAsync(postgres);
        using var admin = await host.ClientAsync(host.Operator);
        await SendAsync(admin, HttpMethod.Put, "/v1/plans/tiny", new
        {
            name = "Tiny",
            max_collections = 1,
            max_points = 10,
            max_storage_bytes = 1L << 30,
            max_dimension = 8,
            read_rate_per_second = 10,
            read_burst = 10,
            write_rate_per_second = 10,
            write_burst = 10,
            monthly_read_units = 1000,
            monthly_write_units = 1000,
        }, HttpStatusCode.OK);
        var tenant = await SendAsync(admin, HttpMethod.Post, "/v1/tenants", new { name = "small", plan = "tiny" }, HttpStatusCode.Created);
        using var engine = EngineClient(host.App.Services.GetRequiredService<IEngineOrchestrator>().GetRoute(tenant["id"]!.GetValue<string>())!);

        using (var tooWide = await engine.PutAsJsonAsync("/v1/collections/wide", new { dimension = 9 }))
        {
            Assert.Equal(403, (int)tooWide.StatusCode);
            Assert.Contains("quota-exceeded", await tooWide.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        }

        (await engine.PutAsJsonAsync("/v1/collections/docs", new { dimension = 2 })).EnsureSuccessStatusCode();
        using (var second = await engine.PutAsJsonAsync("/v1/collections/more", new { dimension = 2 }))
        {
            Assert.Equal(403, (int)second.StatusCode);
        }

        var points = Enumerable.Range(0, 11).Select(i => new { id = $"p{i}", vector = new[] { 1f, i } }).ToArray();
        using var over = await engine.PostAsJsonAsync("/v1/collections/docs/points", new { points });
        var text = await over.Content.ReadAsStringAsync();
        Assert.Equal(403, (int)over.StatusCode);
        Assert.Contains("10 points", text, StringComparison.Ordinal);
    }

    [Fact]
    public async Task PlanChange_RestartsTheEngineWithTheNewLimits_DataKept()
    {
        await using var host = await ControlPlaneHost.StartAsync(postgres);
        using var admin = await host.ClientAsync(host.Operator);
        await SendAsync(admin, HttpMethod.Put, "/v1/plans/mini", new
        {
            name = "Mini",
            max_collections = 2,
            max_points = 3,
            max_storage_bytes = 1L << 30,
            max_dimension = 8,
            read_rate_per_second = 10,
            read_burst = 10,
            write_rate_per_second = 10,
            write_burst = 10,
            monthly_read_units = 1000,
            monthly_write_units = 1000,
        }, HttpStatusCode.OK);
        var tenant = await SendAsync(admin, HttpMethod.Post, "/v1/tenants", new { name = "growing" }, HttpStatusCode.Created);
        var tenantId = tenant["id"]!.GetValue<string>();
        var orchestrator = host.App.Services.GetRequiredService<IEngineOrchestrator>();
        using (var engine = EngineClient(orchestrator.GetRoute(tenantId)!))
        {
            (await engine.PutAsJsonAsync("/v1/collections/docs", new { dimension = 2 })).EnsureSuccessStatusCode();
            var points = Enumerable.Range(0, 5).Select(i => new { id = $"p{i}", vector = new[] { 1f, i } }).ToArray();
            (await engine.PostAsJsonAsync("/v1/collections/docs/points", new { points })).EnsureSuccessStatusCode();
        }

        var moved = await SendAsync(admin, HttpMethod.Patch, $"/v1/tenants/{tenantId}", new { plan = "mini" }, HttpStatusCode.OK);
        Assert.Equal(("mini", "running"), (moved["plan"]!.GetValue<string>(), moved["engine_state"]!.GetValue<string>()));
        using var after = EngineClient(orchestrator.GetRoute(tenantId)!);
        using var count = await after.PostAsJsonAsync("/v1/collections/docs/count", new { });
        Assert.Contains("\"count\":5", await count.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        using var refused = await after.PostAsJsonAsync("/v1/collections/docs/points", new { points = new[] { new { id = "x", vector = new[] { 1f, 1f } } } });
        Assert.Equal(403, (int)refused.StatusCode);
        Assert.Contains("3 points", await refused.Content.ReadAsStringAsync(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task DeletedTenant_IsPurgedAfterTheRetentionPeriod()
    {
        await using var host = await ControlPlaneHost.StartAsync(postgres, new Dictionary<string, string?> { ["Tenants:DeletedRetention"] = "00:00:00" });
        using var admin = await host.ClientAsync(host.Operator);
        var tenant = await SendAsync(admin, HttpMethod.Post, "/v1/tenants", new { name = "short-lived" }, HttpStatusCode.Created);
        var tenantId = tenant["id"]!.GetValue<string>();
        var orchestrator = (LocalProcessOrchestrator)host.App.Services.GetRequiredService<IEngineOrchestrator>();
        var dataDirectory = orchestrator.DataDirectoryOf(tenantId);
        Assert.True(Directory.Exists(dataDirectory));

        await SendAsync(admin, HttpMethod.Delete, $"/v1/tenants/{tenantId}", null, HttpStatusCode.OK);
        Assert.True(Directory.Exists(dataDirectory), "data must survive until the retention period ends");
        await using (var scope = host.App.Services.CreateAsyncScope())
        {
            Assert.Equal(1, await scope.ServiceProvider.GetRequiredService<Tenants.TenantService>().PurgeDueAsync(CancellationToken.None));
        }

        Assert.False(Directory.Exists(dataDirectory));
        Assert.Null(orchestrator.GetRoute(tenantId));
    }

    private static HttpClient EngineClient(EngineRoute route) =>
        new(new SigningHandler(route.EngineSecret, route.TenantId, "admin", "test", null)) { BaseAddress = route.Endpoint };

    private static async Task<JsonNode> SendAsync(HttpClient http, HttpMethod method, string path, object? body, HttpStatusCode expected)
    {
        using var request = new HttpRequestMessage(method, path);
        if (body is not null)
        {
            request.Content = JsonContent.Create(body, options: ControlPlaneHost.Json);
        }

        using var response = await http.SendAsync(request);
        var text = await response.Content.ReadAsStringAsync();
        Assert.True(expected == response.StatusCode, $"{method} {path}: expected {(int)expected}, got {(int)response.StatusCode}: {text}");
        return text.Length == 0 ? new JsonObject() : JsonNode.Parse(text)!;
    }

    private static async Task<(HttpStatusCode Status, JsonNode? Body)> IntrospectAsync(HttpClient gateway, string presented)
    {
        Assert.True(ApiKeyFormat.TryParse(presented, out var id, out var secret));
        using var response = await gateway.PostAsJsonAsync("/internal/v1/keys/introspect",
            new { key_id = id, secret_sha256 = Convert.ToBase64String(SHA256.HashData(Encoding.UTF8.GetBytes(secret))) });
        var text = await response.Content.ReadAsStringAsync();
        return (response.StatusCode, text.Length == 0 ? null : JsonNode.Parse(text));
    }
}
