using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using Piramid.ControlPlane.Tests.Auditing;
using Piramid.ControlPlane.Tests.Support;

namespace Piramid.ControlPlane.Tests.Admin;

/// <summary>A key's collection scope is bounded: beyond the documented maximum it is a 400 and no key is made.</summary>
[Collection(PostgresCollection.Name)]
public sealed class ApiKeyScopeTests(PostgresFixture postgres)
{
    [Fact]
    public async Task CollectionScope_UpToTheMaximum_IsAccepted_BeyondItIs400_NothingWritten()
    {
        await using var host = await ControlPlaneHost.StartAsync(postgres);
        var tenantId = await RetentionTests.SeedTenantAsync(host);
        using var admin = await host.ClientAsync(host.Operator);
        var max = Piramid.ControlPlane.Admin.ApiKeysApi.MaxCollections;
        Assert.Equal(100, max); // the documented default (docs/API.md)

        foreach (var count in new[] { max + 1, 10_000 })
        {
            var before = await DatabaseFingerprint.TakeAsync(host);
            using var refused = await admin.PostAsJsonAsync($"/v1/tenants/{tenantId}/api-keys", Body(count));
            var text = await refused.Content.ReadAsStringAsync();
            Assert.True(refused.StatusCode == HttpStatusCode.BadRequest, $"{count}: {(int)refused.StatusCode} {text}");
            Assert.Equal("application/problem+json", refused.Content.Headers.ContentType?.MediaType);
            Assert.Contains("'collections'", JsonNode.Parse(text)!["detail"]!.GetValue<string>(), StringComparison.Ordinal);
            Assert.Equal(before, await DatabaseFingerprint.TakeAsync(host));
        }

        using var accepted = await admin.PostAsJsonAsync($"/v1/tenants/{tenantId}/api-keys", Body(max));
        Assert.Equal(HttpStatusCode.Created, accepted.StatusCode);
        Assert.Equal(max, JsonNode.Parse(await accepted.Content.ReadAsStringAsync())!["collections"]!.AsArray().Count);
    }

    private static object Body(int collections) =>
        new { name = "scoped", role = "read_only", collections = Enumerable.Range(0, collections).Select(i => $"c{i}").ToArray() };
}
