using Piramid.DataPlane.Tests.Support;
using Piramid.TestKit;
using Piramid.TestKit.Processes;

namespace Piramid.DataPlane.Tests;

/// <summary>
/// Damage to the log of a killed engine: a torn or zero-filled tail is cut off and the engine goes on;
/// a flipped byte in the middle closes that collection (503, listed as failed) and drops nothing,
/// while the tenant's other collections keep working.
/// </summary>
public sealed class WalDamageTests
{
    private const int Batches = 20;

    [Fact]
    public async Task TornTail_IsTruncated_EarlierBatchesKept()
    {
        await using var host = new EngineTestHost();
        var segment = await WriteAndKillAsync(host);
        using (var stream = new FileStream(segment, FileMode.Open))
        {
            stream.SetLength(stream.Length - 7);
        }

        var engine = await host.StartAsync();
        using var http = engine.CreateClient();
        var stored = await http.ScrollAllAsync("damaged");
        Assert.Equal((Batches - 1) * 10, stored.Count);
        Assert.DoesNotContain(stored.Keys, id => id.StartsWith($"b{Batches - 1}-", StringComparison.Ordinal));
        await http.OkAsync(HttpMethod.Post, "/v1/collections/damaged/points", Batch(99));
    }

    [Fact]
    public async Task ZeroFilledTail_IsTruncated_EverythingKept()
    {
        await using var host = new EngineTestHost();
        var segment = await WriteAndKillAsync(host);
        await using (var stream = new FileStream(segment, FileMode.Append))
        {
            await stream.WriteAsync(new byte[8192]);
        }

        var engine = await host.StartAsync();
        using var http = engine.CreateClient();
        Assert.Equal(Batches * 10, (await http.ScrollAllAsync("damaged")).Count);
        await http.OkAsync(HttpMethod.Post, "/v1/collections/damaged/points", Batch(99));
        engine.Kill();

        // And the log written after the repair replays too.
        var again = await host.StartAsync();
        using var check = again.CreateClient();
        Assert.Equal((Batches + 1) * 10, (await check.ScrollAllAsync("damaged")).Count);
    }

    [Fact]
    public async Task FlippedByteMidLog_FailsCollectionClosed_OthersServeAndNothingIsDropped()
    {
        await using var host = new EngineTestHost();
        var segment = await WriteAndKillAsync(host);
        var size = new FileInfo(segment).Length;
        await FileDamage.FlipMiddleByteAsync(segment);

        var engine = await host.StartAsync();
        using var http = engine.CreateClient();
        var response = await http.SendAsync(HttpMethod.Post, "/v1/collections/damaged/search", new { vector = new[] { 1f, 2f } });
        ApiCalls.AssertProblem(response, 503, "damaged");
        Assert.Equal("https://piramid.dev/problems/collection-unavailable", response.Body!["type"]!.GetValue<string>());
        var list = await http.OkAsync(HttpMethod.Get, "/v1/collections");
        var damaged = list["collections"]!.AsArray().Single(c => c!["name"]!.GetValue<string>() == "damaged");
        Assert.Equal("failed", damaged!["status"]!.GetValue<string>());

        Assert.Equal(5, (await http.ScrollAllAsync("healthy")).Count);
        await http.OkAsync(HttpMethod.Post, "/v1/collections/healthy/points", new { points = new[] { new { id = "new", vector = new[] { 1f, 2f } } } });
        Assert.Equal(size, new FileInfo(segment).Length);
    }

    /// <summary>Writes 20 batches to "damaged" (and a little to "healthy"), kills the engine, returns the damaged log segment.</summary>
    private static async Task<string> WriteAndKillAsync(EngineTestHost host)
    {
        EngineProcess engine = await host.StartAsync("always");
        using (var http = engine.CreateClient())
        {
            await http.CreateCollectionAsync("damaged", 2);
            await http.CreateCollectionAsync("healthy", 2);
            await http.OkAsync(HttpMethod.Post, "/v1/collections/healthy/points",
                new { points = Enumerable.Range(0, 5).Select(i => new { id = $"h{i}", vector = new[] { 1f, i } }).ToArray() });
            for (var b = 0; b < Batches; b++)
            {
                await http.OkAsync(HttpMethod.Post, "/v1/collections/damaged/points", Batch(b));
            }
        }

        engine.Kill();
        return Directory.GetFiles(host.DataDirectory, "*.seg", SearchOption.AllDirectories)
            .OrderByDescending(f => new FileInfo(f).Length)
            .First();
    }

    private static object Batch(int b) => new
    {
        points = Enumerable.Range(0, 10).Select(i => new { id = $"b{b}-{i}", vector = new[] { (float)b, i }, metadata = new { b } }).ToArray(),
    };
}
