using System.Text.Json.Nodes;
using Piramid.DataPlane.Tests.Support;
using Piramid.TestKit.Processes;

namespace Piramid.DataPlane.Tests;

/// <summary>
/// <c>auto_index</c> over HTTP on the real engine: on by default, <c>false</c> kept across a restart, part of the
/// settings a repeated create compares, and filtered searches on undeclared fields answer the same either way.
/// </summary>
public sealed class AutoIndexApiTests : IAsyncLifetime
{
    private EngineTestHost _host = null!;
    private EngineProcess _engine = null!;
    private HttpClient _http = null!;

    public async Task InitializeAsync()
    {
        _host = new EngineTestHost();
        _engine = await _host.StartAsync();
        _http = _engine.CreateClient();
    }

    public async Task DisposeAsync()
    {
        _http.Dispose();
        await _host.DisposeAsync();
    }

    [Fact]
    public async Task AutoIndex_DefaultsOn_OptOutIsKeptAndCompared_FiltersAnswerAlike()
    {
        await _http.OkAsync(HttpMethod.Put, "/v1/collections/on", new { dimension = 2, index = new { type = "hnsw" } });
        await _http.OkAsync(HttpMethod.Put, "/v1/collections/off", new { dimension = 2, index = new { type = "hnsw" }, auto_index = false });
        Assert.True((await _http.OkAsync(HttpMethod.Get, "/v1/collections/on"))["auto_index"]!.GetValue<bool>());
        Assert.False((await _http.OkAsync(HttpMethod.Get, "/v1/collections/off"))["auto_index"]!.GetValue<bool>());

        // A repeated create is idempotent only with the same settings, auto_index included.
        ApiCalls.AssertProblem(await _http.SendAsync(HttpMethod.Put, "/v1/collections/off", new { dimension = 2, index = new { type = "hnsw" } }), 409);
        await _http.OkAsync(HttpMethod.Put, "/v1/collections/off", new { dimension = 2, index = new { type = "hnsw" }, auto_index = false });

        // 200 points, every tenth tagged "rare"; a field first seen on the 150th point; a field whose type varies.
        var points = Enumerable.Range(0, 200).Select(i => (object)new
        {
            id = $"p{i}",
            vector = new[] { MathF.Cos(i), MathF.Sin(i) },
            metadata = i >= 150
                ? new Dictionary<string, object> { ["tag"] = i % 10 == 0 ? "rare" : "common", ["late"] = i % 7, ["mixed"] = i % 2 == 0 ? "7" : 7 }
                : new Dictionary<string, object> { ["tag"] = i % 10 == 0 ? "rare" : "common", ["mixed"] = i % 2 == 0 ? "7" : 7 },
        }).ToArray();
        foreach (var collection in new[] { "on", "off" })
        {
            await _http.OkAsync(HttpMethod.Post, $"/v1/collections/{collection}/points", new { points });
        }

        // SIGKILL: the indexes are rebuilt from the log on recovery.
        _engine.Kill();
        _http.Dispose();
        _engine = await _host.StartAsync();
        _http = _engine.CreateClient();
        Assert.False((await _http.OkAsync(HttpMethod.Get, "/v1/collections/off"))["auto_index"]!.GetValue<bool>());
        foreach (var (filter, expected) in new (object Filter, int Count)[]
        {
            (new { tag = "rare" }, 20),
            (new { late = 3 }, 8),
            (new { late = new { gte = 5 } }, 14),
            (new { mixed = 7 }, 100),
            (new { mixed = "7" }, 100),
        })
        {
            var on = await SearchIdsAsync("on", filter);
            Assert.Equal(expected, on.Count);
            Assert.Equal(on, await SearchIdsAsync("off", filter));
        }
    }

    private async Task<List<string>> SearchIdsAsync(string collection, object filter)
    {
        var answer = await _http.OkAsync(HttpMethod.Post, $"/v1/collections/{collection}/search",
            new { vector = new[] { 1f, 0f }, top_k = 200, filter = JsonNode.Parse(System.Text.Json.JsonSerializer.Serialize(filter, ApiCalls.Json)!.Replace("\"gte\"", "\"$gte\"", StringComparison.Ordinal)) });
        return [.. answer["results"]!.AsArray().Select(r => r!["id"]!.GetValue<string>()).Order(StringComparer.Ordinal)];
    }
}
