using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using Piramid.Gateway.Tests.Support;
using Piramid.TestKit;
using Piramid.TestKit.Platform;
using static Piramid.Gateway.Tests.Support.Probe;

namespace Piramid.Gateway.Tests;

/// <summary>Point ids travel in paths percent-encoded; the gateway must sign exactly the path it forwards.</summary>
[Collection(GatewayCollection.Name)]
public sealed class PointIdTests(PostgresFixture postgres)
{
    // Characters that change meaning in a path or a query once decoded, or that encoders disagree on.
    private static readonly string[] Awkward = ["%", "/", "+", " ", "?", "#", "%2F", "%25", "&", "=", ";", "\\", "..", ".", "~", "'", "\"", ":", "@", "é", "中", "😀"];

    [Fact]
    public async Task PointIds_WithAnyCharacters_RoundTripByIdThroughTheGateway()
    {
        await using var platform = await PlatformHost.StartAsync(postgres);
        var (_, key) = await platform.TenantWithKeyAsync("point-ids", plan: "standard"); // its rates allow a few hundred requests at once
        using var http = platform.Client(key);
        await WaitRoutedAsync(http);
        (await http.PutAsJsonAsync("/v1/collections/docs", new { dimension = 2 })).EnsureSuccessStatusCode();

        var ids = AwkwardIds.Generate(new Random(20261205), Awkward, Awkward.Select(a => "p" + a + "q"), 60);
        var points = ids.Select((id, i) => new { id, vector = new[] { 1f, i + 1f }, metadata = new { n = i } });
        using (var upsert = await http.PostAsJsonAsync("/v1/collections/docs/points", new { points }))
        {
            Assert.True(upsert.IsSuccessStatusCode, await upsert.Content.ReadAsStringAsync());
        }

        foreach (var (id, i) in ids.Select((id, i) => (id, i)))
        {
            var path = "/v1/collections/docs/points/" + Uri.EscapeDataString(id);
            using (var get = await http.GetAsync(new Uri(path, UriKind.Relative)))
            {
                var body = await get.Content.ReadAsStringAsync();
                Assert.True(get.StatusCode == HttpStatusCode.OK, $"GET id {AwkwardIds.Show(id)} as {path}: {(int)get.StatusCode} {body}");
                Assert.Equal(id, JsonNode.Parse(body)!["id"]!.GetValue<string>());
            }

            using var patch = new HttpRequestMessage(HttpMethod.Patch, new Uri(path, UriKind.Relative)) { Content = JsonContent.Create(new { metadata = new { patched = i } }) };
            using var patched = await http.SendAsync(patch);
            Assert.True(patched.IsSuccessStatusCode, $"PATCH id {AwkwardIds.Show(id)} as {path}: {(int)patched.StatusCode} {await patched.Content.ReadAsStringAsync()}");
        }

        // Deleted by id list, then each is gone by path.
        using (var deleted = await http.PostAsJsonAsync("/v1/collections/docs/points/delete", new { ids }))
        {
            Assert.True(deleted.IsSuccessStatusCode, await deleted.Content.ReadAsStringAsync());
        }

        foreach (var id in ids)
        {
            using var gone = await http.GetAsync(new Uri("/v1/collections/docs/points/" + Uri.EscapeDataString(id), UriKind.Relative));
            Assert.True(gone.StatusCode == HttpStatusCode.NotFound, $"deleted id {AwkwardIds.Show(id)}: {(int)gone.StatusCode}");
        }
    }
}
