using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using Piramid.Gateway.Tests.Support;
using Piramid.TestKit.Platform;
using static Piramid.Gateway.Tests.Support.Probe;

namespace Piramid.Gateway.Tests;

/// <summary>
/// The in-place changes through the gateway: a key's new scope reaches the gateway's key cache (the same secret is let
/// into the new collection and kept out of the old one), and <c>PATCH /v1/collections/{name}</c> needs an admin key.
/// </summary>
[Collection(GatewayCollection.Name)]
public sealed class InPlaceUpdateTests(PostgresFixture postgres)
{
    [Fact]
    public async Task AKeysNewScope_ReachesTheGatewaysCache_TheSameSecretFollowsIt()
    {
        await using var platform = await PlatformHost.StartAsync(postgres);
        var (_, adminKey) = await platform.TenantWithKeyAsync("in-place");
        using var admin = platform.Client(adminKey);
        await WaitRoutedAsync(admin);
        foreach (var name in new[] { "docs", "other" })
        {
            Assert.Equal(HttpStatusCode.Created, (await admin.PutAsJsonAsync($"/v1/collections/{name}", new { dimension = 2 })).StatusCode);
        }

        using var created = await admin.PostAsJsonAsync("/v1/api-keys", new { name = "scoped", role = "read_write", collections = new[] { "docs" } });
        var key = (await created.Content.ReadFromJsonAsync<JsonObject>())!;
        using var scoped = platform.Client(key["key"]!.GetValue<string>());

        // Cached now: the old scope is what the gateway holds when the change arrives.
        Assert.Equal(HttpStatusCode.OK, (await scoped.GetAsync(new Uri("/v1/collections/docs", UriKind.Relative))).StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, (await scoped.GetAsync(new Uri("/v1/collections/other", UriKind.Relative))).StatusCode);

        using var changed = await admin.PatchAsJsonAsync($"/v1/api-keys/{key["id"]!.GetValue<string>()}", new { collections = new[] { "other" } });
        Assert.True(changed.StatusCode == HttpStatusCode.OK, await changed.Content.ReadAsStringAsync());
        await AnswersAsync(scoped, "/v1/collections/other", HttpStatusCode.OK);
        Assert.Equal(HttpStatusCode.Forbidden, (await scoped.GetAsync(new Uri("/v1/collections/docs", UriKind.Relative))).StatusCode);

        // PATCH on a collection is an admin call: the read_write key is refused, the admin key changes ef.
        using var refused = await scoped.PatchAsJsonAsync("/v1/collections/other", new { index = new { ef = 99 } });
        Assert.Equal(HttpStatusCode.Forbidden, refused.StatusCode);
        using var patched = await admin.PatchAsJsonAsync("/v1/collections/other", new { index = new { ef = 99 } });
        Assert.True(patched.StatusCode == HttpStatusCode.OK, await patched.Content.ReadAsStringAsync());
        var described = await admin.GetFromJsonAsync<JsonObject>("/v1/collections/other");
        Assert.Equal(99, described!["index"]!["ef"]!.GetValue<int>());
    }

    private static async Task AnswersAsync(HttpClient http, string path, HttpStatusCode status)
    {
        // The change feed reaches the gateway "within about a second" (docs/API.md): poll up to a generous deadline.
        var deadline = DateTime.UtcNow.AddSeconds(10);
        HttpStatusCode last;
        do
        {
            last = (await http.GetAsync(new Uri(path, UriKind.Relative))).StatusCode;
            if (last == status)
            {
                return;
            }

            await Task.Delay(100);
        }
        while (DateTime.UtcNow < deadline);
        Assert.Equal(status, last);
    }
}
