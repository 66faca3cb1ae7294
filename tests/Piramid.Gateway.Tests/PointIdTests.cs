using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json.Nodes;
using Piramid.ControlPlane.Tests.Support;
using Piramid.Gateway.Tests.Support;
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

        var ids = Ids(new Random(20261205), 60);
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
                Assert.True(get.StatusCode == HttpStatusCode.OK, $"GET id {Show(id)} as {path}: {(int)get.StatusCode} {body}");
                Assert.Equal(id, JsonNode.Parse(body)!["id"]!.GetValue<string>());
            }

            using var patch = new HttpRequestMessage(HttpMethod.Patch, new Uri(path, UriKind.Relative)) { Content = JsonContent.Create(new { metadata = new { patched = i } }) };
            using var patched = await http.SendAsync(patch);
            Assert.True(patched.IsSuccessStatusCode, $"PATCH id {Show(id)} as {path}: {(int)patched.StatusCode} {await patched.Content.ReadAsStringAsync()}");
        }

        // Deleted by id list, then each is gone by path.
        using (var deleted = await http.PostAsJsonAsync("/v1/collections/docs/points/delete", new { ids }))
        {
            Assert.True(deleted.IsSuccessStatusCode, await deleted.Content.ReadAsStringAsync());
        }

        foreach (var id in ids)
        {
            using var gone = await http.GetAsync(new Uri("/v1/collections/docs/points/" + Uri.EscapeDataString(id), UriKind.Relative));
            Assert.True(gone.StatusCode == HttpStatusCode.NotFound, $"deleted id {Show(id)}: {(int)gone.StatusCode}");
        }
    }

    // Each of the awkward pieces between two letters, then seeded random mixes of them with random unicode, 1-64 UTF-8 bytes.
    private static List<string> Ids(Random random, int mixes)
    {
        var ids = new List<string>(Awkward.Select(a => "p" + a + "q"));
        while (ids.Count < Awkward.Length + mixes)
        {
            var builder = new StringBuilder();
            var parts = random.Next(1, 6);
            for (var p = 0; p < parts; p++)
            {
                builder.Append(random.Next(3) switch
                {
                    0 => Awkward[random.Next(Awkward.Length)],
                    1 => char.ConvertFromUtf32(random.Next(0x20, 0x7F)),
                    _ => char.ConvertFromUtf32(random.Next(0xA0, 0xD7FF)),
                });
            }

            var id = builder.ToString();
            if (Encoding.UTF8.GetByteCount(id) is >= 1 and <= 64 && id.Trim() == id && id is not "." and not ".." && !ids.Contains(id))
            {
                ids.Add(id);
            }
        }

        return ids;
    }

    private static string Show(string id) => string.Concat(id.Select(c => c < 0x20 || c > 0x7E ? $"\\u{(int)c:x4}" : c.ToString()));
}
