using Piramid.DataPlane.Tests.Support;
using Piramid.TestKit;

namespace Piramid.DataPlane.Tests;

/// <summary>A collection closed after storage damage tells the caller why without disclosing the server's paths.</summary>
public sealed class UnavailableDetailTests
{
    [Fact]
    public async Task DamagedLog_ProblemDetailAndListedError_HoldNoServerPath()
    {
        await using var host = new EngineTestHost();
        var engine = await host.StartAsync("always");
        using (var http = engine.CreateClient())
        {
            await http.CreateCollectionAsync("damaged", 2);
            for (var b = 0; b < 10; b++)
            {
                await http.OkAsync(HttpMethod.Post, "/v1/collections/damaged/points",
                    new { points = Enumerable.Range(0, 10).Select(i => new { id = $"b{b}-{i}", vector = new[] { (float)b, i } }).ToArray() });
            }
        }

        engine.Kill();
        var segment = Directory.GetFiles(host.DataDirectory, "*.seg", SearchOption.AllDirectories)
            .OrderByDescending(f => new FileInfo(f).Length)
            .First();
        await FileDamage.FlipMiddleByteAsync(segment);

        var restarted = await host.StartAsync();
        using var client = restarted.CreateClient();
        var response = await client.SendAsync(HttpMethod.Post, "/v1/collections/damaged/search", new { vector = new[] { 1f, 2f } });
        ApiCalls.AssertProblem(response, 503, Path.GetFileName(segment));
        var detail = response.Body!["detail"]!.GetValue<string>();
        Assert.DoesNotContain('/', detail);

        var described = await client.SendAsync(HttpMethod.Get, "/v1/collections/damaged");
        var error = described.Body!["error"]!.GetValue<string>();
        Assert.Contains(Path.GetFileName(segment), error, StringComparison.Ordinal);
        Assert.DoesNotContain('/', error);
    }
}
