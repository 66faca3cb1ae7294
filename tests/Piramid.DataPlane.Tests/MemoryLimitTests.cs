using System.Globalization;
using System.Net;
using Piramid.DataPlane.Tests.Support;

namespace Piramid.DataPlane.Tests;

/// <summary>
/// An engine under a GC heap hard limit (as the orchestrator starts every engine) refuses writes past it
/// with a clear 507 instead of growing without bound or dying, and keeps serving what it acknowledged.
/// </summary>
public sealed class MemoryLimitTests
{
    private const long LimitBytes = 96L * 1024 * 1024;

    [Theory]
    [InlineData("flat")]
    [InlineData("hnsw")]
    public async Task Upserts_PastTheMemoryLimit_Answer507MemoryLimit_AndTheEngineStaysUp(string index)
    {
        await using var host = new EngineTestHost();
        var env = new Dictionary<string, string> { ["DOTNET_GCHeapHardLimit"] = LimitBytes.ToString("X", CultureInfo.InvariantCulture) };
        var engine = await host.StartAsync("none", env);
        using var http = engine.CreateClient();
        await http.CreateCollectionAsync("big", 512, index: index);

        // 1,000 points of 512 floats (2 MB of vectors) per batch: 300 batches are 600 MB, six times the limit.
        var random = new Random(42);
        var acknowledged = 0L;
        var status = HttpStatusCode.OK;
        var raw = string.Empty;
        for (var batch = 0; batch < 300 && status == HttpStatusCode.OK; batch++)
        {
            var points = Enumerable.Range(0, 1000).Select(i => new
            {
                id = $"b{batch}-{i}",
                vector = Enumerable.Range(0, 512).Select(_ => (float)random.NextDouble()).ToArray(),
            }).ToArray();
            (status, _, raw, _) = await http.SendAsync(HttpMethod.Post, "/v1/collections/big/points", new { points });
            if (status == HttpStatusCode.OK)
            {
                acknowledged += points.Length;
            }
        }

        Assert.True(status == HttpStatusCode.InsufficientStorage, $"expected 507 past the memory limit, got {(int)status}: {raw}");
        Assert.Contains("insufficient-memory", raw, StringComparison.Ordinal);
        Assert.Contains("memory limit", raw, StringComparison.OrdinalIgnoreCase);
        Assert.True(acknowledged > 0, "nothing was accepted before the limit");
        Assert.False(engine.HasExited, $"the engine died instead of refusing:\n{engine.Output}");

        // The process stayed near its limit: the GC heap plus the runtime's and the engine's native memory.
        var rss = ResidentBytes(engine.Pid);
        Assert.True(rss < LimitBytes + (128L << 20), $"resident {rss >> 20} MiB under a {LimitBytes >> 20} MiB heap limit");

        // What was acknowledged is all there, and nothing of the refused batch was stored.
        var count = await http.OkAsync(HttpMethod.Post, "/v1/collections/big/count", new { });
        Assert.Equal(acknowledged, count["count"]!.GetValue<long>());
    }

    private static long ResidentBytes(int pid)
    {
        var line = File.ReadLines($"/proc/{pid.ToString(CultureInfo.InvariantCulture)}/status").First(l => l.StartsWith("VmRSS:", StringComparison.Ordinal));
        return long.Parse(line[6..].Trim().Split(' ')[0], CultureInfo.InvariantCulture) * 1024;
    }
}
