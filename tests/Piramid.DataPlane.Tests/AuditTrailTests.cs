using Piramid.Contracts;
using Piramid.DataPlane.Tests.Support;
using Piramid.Engine.Audit;
using Piramid.Engine.Crypto;
using Piramid.KeyWrapping;

namespace Piramid.DataPlane.Tests;

/// <summary>Every mutating call leaves one audit entry with who, what, where, outcome and request id.</summary>
public sealed class AuditTrailTests
{
    [Fact]
    public async Task MutatingCalls_AreAudited_WithOutcomeAndRequestId()
    {
        await using var host = new EngineTestHost();
        var engine = await host.StartAsync();
        using (var http = engine.CreateClient(principal: "key-42"))
        {
            await http.CreateCollectionAsync("docs", 2);
            using var request = new HttpRequestMessage(HttpMethod.Post, "/v1/collections/docs/points")
            {
                Content = new StringContent("""{"points":[{"id":"a","vector":[1,2]}]}""", System.Text.Encoding.UTF8, "application/json"),
            };
            request.Headers.Add(HeaderNames.RequestId, "req-123");
            Assert.True((await http.SendAsync(request)).IsSuccessStatusCode);
            await http.SendRawAsync(HttpMethod.Post, "/v1/collections/docs/points", """{"points":[{"id":"b","vector":[1]}]}""");
            await http.OkAsync(HttpMethod.Post, "/v1/collections/docs/search", new { vector = new[] { 1f, 2f } });
        }

        Assert.Equal(0, await engine.StopAsync());
        using var platformKey = PlatformKey.FromBase64(host.PlatformKey);
        using var key = DataKeyStore.OpenOrCreate(host.DataDirectory, platformKey);
        var auditDirectory = Path.Combine(host.DataDirectory, "audit");
        List<AuditEntry> entries;
        using (var log = AuditLog.Open(auditDirectory, key, TimeProvider.System))
        {
            entries = log.Read().ToList();
        }

        Assert.Equal(["collections.create", "points.upsert", "points.upsert"], entries.Select(e => e.Operation));
        Assert.All(entries, e => Assert.Equal("key-42", e.Principal));
        Assert.All(entries, e => Assert.Equal("docs", e.Collection));
        Assert.Equal("req-123", entries[1].RequestId);
        Assert.Equal("ok", entries[1].Outcome);
        Assert.Equal("error:400", entries[2].Outcome);
        Assert.True(AuditVerifier.Verify(auditDirectory, key).IsValid);
    }

    [Fact]
    public async Task RefusedCalls_AreAudited_ReadsToo_WithTheRequestIdTheAnswerCarries()
    {
        await using var host = new EngineTestHost();
        var engine = await host.StartAsync();
        using (var admin = engine.CreateClient(principal: "key-admin"))
        {
            await admin.CreateCollectionAsync("docs", 2);
            await admin.CreateCollectionAsync("other", 2);
        }

        var answered = new List<string>();
        using (var scoped = engine.CreateClient(role: "read_only", principal: "key-scoped", collections: ["docs"]))
        {
            foreach (var (method, path, body) in new[]
            {
                (HttpMethod.Post, "/v1/collections/other/search", """{"vector":[1,2]}"""),      // a read outside its collections
                (HttpMethod.Post, "/v1/collections/docs/points", """{"points":[{"id":"a","vector":[1,2]}]}"""), // a write above its role
            })
            {
                using var request = new HttpRequestMessage(method, path) { Content = new StringContent(body, System.Text.Encoding.UTF8, "application/json") };
                request.Headers.Add(HeaderNames.RequestId, $"req-refused-{answered.Count}");
                using var response = await scoped.SendAsync(request);
                Assert.Equal(System.Net.HttpStatusCode.Forbidden, response.StatusCode);
                answered.Add(response.Headers.GetValues(HeaderNames.RequestId).Single());
            }

            // An admitted read leaves no entry.
            await scoped.OkAsync(HttpMethod.Post, "/v1/collections/docs/search", new { vector = new[] { 1f, 2f } });
        }

        Assert.Equal(0, await engine.StopAsync());
        using var platformKey = PlatformKey.FromBase64(host.PlatformKey);
        using var key = DataKeyStore.OpenOrCreate(host.DataDirectory, platformKey);
        using var log = AuditLog.Open(Path.Combine(host.DataDirectory, "audit"), key, TimeProvider.System);
        var refused = log.Read().Where(e => e.Principal == "key-scoped").ToList();
        Assert.Equal(2, refused.Count);
        Assert.All(refused, e => Assert.Equal("error:403", e.Outcome));
        Assert.Equal(["other", "docs"], refused.Select(e => e.Collection));
        Assert.Equal("points.upsert", refused[1].Operation);
        Assert.Equal(answered, refused.Select(e => e.RequestId));
    }
}
