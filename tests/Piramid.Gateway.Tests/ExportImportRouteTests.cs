using System.IO.Compression;
using System.Net;
using System.Net.Http.Json;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json.Nodes;
using Piramid.Contracts.Problems;
using Piramid.Gateway.Tests.Support;
using Piramid.TestKit.Http;
using Piramid.TestKit.Platform;
using static Piramid.Gateway.Tests.AccountsTests;

namespace Piramid.Gateway.Tests;

/// <summary>
/// Export and import of a collection through the real gateway, control plane, backup store and engine
/// (docs/design/export-format.md): the three routes reach the control plane (not the engine's member door) for a
/// member token and an admin key alike; an export imported into a new collection (created from the manifest) has the
/// same points and search answers; the download matches the manifest's hash; a bad NDJSON line fails the import
/// operation naming the line; a reader may export but not import; a stranger sees no tenant.
/// </summary>
[Collection(GatewayCollection.Name)]
public sealed class ExportImportRouteTests(PostgresFixture postgres)
{
    [Fact]
    public async Task ExportThenImport_ThroughTheGateway_CopiesTheCollectionAndKeepsTheTenantRules()
    {
        await using var platform = await StartAsync(postgres);
        var tenant = (await SignUpAsync(platform, "exp-own@example.com", "exp-a"))["tenant_id"]!.GetValue<string>();
        await SignUpAsync(platform, "exp-else@example.com", "exp-b");
        using var owner = Authorized(platform, await TokenAsync(platform, "exp-own@example.com"));
        using var stranger = Authorized(platform, await TokenAsync(platform, "exp-else@example.com"));
        var data = $"/v1/tenants/{tenant}/collections";
        await WaitRoutedAsync(owner, data);
        await ReadAsync(await owner.PutAsJsonAsync($"{data}/docs", new { dimension = 8, metric = "euclidean", index = new { type = "flat" } }), null);
        var random = new Random(9);
        var points = Enumerable.Range(0, 600).Select(i => new
        {
            id = $"p{i:D4}",
            vector = Enumerable.Range(0, 8).Select(_ => (float)random.NextDouble()).ToArray(),
            metadata = i % 2 == 0 ? new { n = i } : null,
        }).ToArray();
        for (var start = 0; start < points.Length; start += 300)
        {
            await ReadAsync(await owner.PostAsJsonAsync($"{data}/docs/points", new { points = points[start..(start + 300)] }), null);
        }

        // Export: 202 with an operation; the download is the file the manifest describes.
        var export = await ReadAsync(await owner.PostAsJsonAsync($"{data}/docs/export", new { vector_encoding = "json" }), HttpStatusCode.Accepted);
        Assert.Equal("export", (string?)export["kind"]);
        var exported = await FinishedAsync(owner, tenant, (string)export["id"]!);
        var exportId = (string)exported["result"]!["export_id"]!;
        Assert.Equal(600, (long)exported["result"]!["count"]!);
        var file = await owner.GetByteArrayAsync(new Uri($"{data}/docs/exports/{exportId}", UriKind.Relative));
        var manifest = await ReadAsync(await owner.GetAsync(new Uri($"{data}/docs/exports/{exportId}?part=manifest", UriKind.Relative)), HttpStatusCode.OK);
        Assert.Equal("piramid-export", (string?)manifest["format"]);
        Assert.Equal(8, (int)manifest["collection"]!["dimension"]!);
        Assert.Equal(Convert.ToHexStringLower(SHA256.HashData(file)), (string?)manifest["sha256"]);
        Assert.Equal(600, Lines(file).Length);

        // Import into a collection that does not exist: created from the manifest, same points, same answers.
        var import = await ReadAsync(await owner.PostAsJsonAsync($"{data}/copy/import", new { export_id = exportId }), HttpStatusCode.Accepted);
        var imported = await FinishedAsync(owner, tenant, (string)import["id"]!);
        Assert.Equal(600, (long)imported["result"]!["points"]!);
        Assert.Equal(await ScrollAsync(owner, $"{data}/docs"), await ScrollAsync(owner, $"{data}/copy"));
        for (var q = 0; q < 5; q++)
        {
            var query = new { vector = Enumerable.Range(0, 8).Select(_ => (float)random.NextDouble()).ToArray(), top_k = 7 };
            var before = await ReadAsync(await owner.PostAsJsonAsync($"{data}/docs/search", query), HttpStatusCode.OK);
            var after = await ReadAsync(await owner.PostAsJsonAsync($"{data}/copy/search", query), HttpStatusCode.OK);
            Assert.Equal(before["results"]!.ToJsonString(), after["results"]!.ToJsonString());
        }

        // An NDJSON body with a bad third line: the operation fails naming it; the first two lines' batch is not applied.
        var ndjson = "{\"id\":\"n1\",\"vector\":[1,2,3,4,5,6,7,8]}\n{\"id\":\"n2\",\"vector\":[1,2,3,4,5,6,7,8]}\n{\"id\":\"n3\",\"vector\":[1,2]}\n";
        using var body = new StringContent(ndjson, Encoding.UTF8, "application/x-ndjson");
        var bad = await ReadAsync(await owner.PostAsync(new Uri($"{data}/copy/import", UriKind.Relative), body), HttpStatusCode.Accepted);
        var failed = await FinishedAsync(owner, tenant, (string)bad["id"]!, expected: "failed");
        Assert.Equal("https://piramid.dev/problems/invalid-request", (string?)failed["error"]!["type"]);
        Assert.StartsWith("Line 3: ", (string?)failed["error"]!["detail"], StringComparison.Ordinal);
        Assert.Equal(600, (long)(await ReadAsync(await owner.PostAsJsonAsync($"{data}/copy/count", new { }), HttpStatusCode.OK))["count"]!);

        // A tenant admin key takes the same routes; a read-only key exports but may not import; a stranger sees nothing.
        var admin = await ReadAsync(await owner.PostAsJsonAsync($"/v1/tenants/{tenant}/api-keys", new { name = "a", role = "admin" }), HttpStatusCode.Created);
        var reader = await ReadAsync(await owner.PostAsJsonAsync($"/v1/tenants/{tenant}/api-keys", new { name = "r", role = "read_only" }), HttpStatusCode.Created);
        using (var adminKey = platform.Client((string)admin["key"]!))
        using (var readerKey = platform.Client((string)reader["key"]!))
        {
            var byKey = await ReadAsync(await adminKey.PostAsJsonAsync($"{data}/docs/export", new { }), HttpStatusCode.Accepted);
            await FinishedAsync(adminKey, tenant, (string)byKey["id"]!);
            await ReadAsync(await readerKey.PostAsJsonAsync($"{data}/docs/export", new { }), HttpStatusCode.Accepted);
            var refused = await ProblemAssert.MatchesAsync(
                await readerKey.PostAsJsonAsync($"{data}/docs/import", new { export_id = exportId }), ProblemCatalog.Forbidden);
            Assert.Contains("read_only", (string)refused["detail"]!, StringComparison.Ordinal);
        }

        await ProblemAssert.MatchesAsync(await stranger.PostAsJsonAsync($"{data}/docs/export", new { }), ProblemCatalog.NotFound);
        await ProblemAssert.MatchesAsync(await stranger.GetAsync(new Uri($"{data}/docs/exports/{exportId}", UriKind.Relative)), ProblemCatalog.NotFound);
        await ProblemAssert.MatchesAsync(await owner.GetAsync(new Uri($"{data}/other/exports/{exportId}", UriKind.Relative)), ProblemCatalog.NotFound);
        await ProblemAssert.MatchesAsync(await owner.PostAsJsonAsync($"{data}/nope/export", new { }), ProblemCatalog.NotFound);
        await ProblemAssert.MatchesAsync(await owner.PostAsJsonAsync($"{data}/docs/export", new { vector_encoding = "f16" }), ProblemCatalog.InvalidRequest);
    }

    private static string[] Lines(byte[] gz)
    {
        using var gzip = new GZipStream(new MemoryStream(gz), CompressionMode.Decompress);
        using var reader = new StreamReader(gzip, Encoding.UTF8);
        return reader.ReadToEnd().Split('\n', StringSplitOptions.RemoveEmptyEntries);
    }

    private static async Task<string> ScrollAsync(HttpClient http, string collection)
    {
        var page = await ReadAsync(await http.PostAsJsonAsync($"{collection}/scroll", new { limit = 1000, include_vector = true }), HttpStatusCode.OK);
        return page["points"]!.ToJsonString();
    }

    // Polls the operation until it is final (the runner works in the background; progress is persisted as it goes).
    private static async Task<JsonObject> FinishedAsync(HttpClient http, string tenant, string operationId, string expected = "succeeded")
    {
        for (var deadline = DateTime.UtcNow.AddSeconds(60); ; await Task.Delay(50))
        {
            var operation = await ReadAsync(await http.GetAsync(new Uri($"/v1/tenants/{tenant}/operations/{operationId}", UriKind.Relative)), HttpStatusCode.OK);
            var state = (string?)operation["state"];
            if (state is "succeeded" or "failed")
            {
                Assert.True(state == expected, operation.ToJsonString());
                return operation;
            }

            Assert.True(DateTime.UtcNow < deadline, "never finished: " + operation.ToJsonString());
        }
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

            Assert.True(DateTime.UtcNow < deadline, $"never routed: {(int)response.StatusCode}");
        }
    }

    private static async Task<string> TokenAsync(PlatformHost platform, string email)
    {
        using var browser = new PortalBrowser(platform.GatewayAddress);
        return (await browser.SignInAsync(email, Password))["access_token"]!.GetValue<string>();
    }

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
