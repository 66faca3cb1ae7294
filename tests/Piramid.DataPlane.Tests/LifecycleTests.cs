using Piramid.DataPlane.Tests.Support;

namespace Piramid.DataPlane.Tests;

/// <summary>Clean stop, the data-directory lock, and readiness.</summary>
public sealed class LifecycleTests
{
    [Fact]
    public async Task SecondEngine_OnSameDirectory_RefusesToStart()
    {
        await using var host = new EngineTestHost();
        var first = await host.StartAsync();
        var second = host.Launch(host.Options());
        Assert.NotEqual(0, await second.WaitForExitAsync(TimeSpan.FromSeconds(60)));
        Assert.Contains("Another engine already owns", second.Output, StringComparison.Ordinal);
        Assert.False(first.HasExited);
    }

    [Fact]
    public async Task Sigterm_FlushesCheckpointsAndReleasesTheLock()
    {
        await using var host = new EngineTestHost();
        var engine = await host.StartAsync(durability: "none");
        using (var http = engine.CreateClient())
        {
            await http.CreateCollectionAsync("docs", 2);
            var points = Enumerable.Range(0, 500).Select(i => new { id = $"p{i:D4}", vector = new[] { i, 1f } }).ToArray();
            await http.OkAsync(HttpMethod.Post, "/v1/collections/docs/points", new { points });
        }

        // A clean stop exits 0 and leaves a checkpoint, so the next start replays nothing.
        Assert.Equal(0, await engine.StopAsync());
        Assert.NotEmpty(Directory.GetFiles(host.DataDirectory, "checkpoint-*.ckpt", SearchOption.AllDirectories));

        var again = await host.StartAsync();
        using var check = again.CreateClient();
        var count = await check.OkAsync(HttpMethod.Post, "/v1/collections/docs/count", new { });
        Assert.Equal(500, count["count"]!.GetValue<long>());
    }

    [Fact]
    public async Task Health_IsOpenWithoutSignature_ApiIsNot()
    {
        await using var host = new EngineTestHost();
        var engine = await host.StartAsync();
        using var http = engine.CreateUnsignedClient();
        Assert.True((await http.GetAsync(new Uri("/health/live", UriKind.Relative))).IsSuccessStatusCode);
        Assert.True((await http.GetAsync(new Uri("/health/ready", UriKind.Relative))).IsSuccessStatusCode);
        Assert.Equal(401, (int)(await http.GetAsync(new Uri("/v1/collections", UriKind.Relative))).StatusCode);
    }

    [Fact]
    public async Task Requests_AreNotLogged_AndNoDirectoryIsWatched()
    {
        await using var host = new EngineTestHost();
        // The control plane starts engines at the default level (the test harness lowers it to Warning).
        var engine = await host.StartAsync(environment: new Dictionary<string, string> { ["Logging__LogLevel__Default"] = "Information" });
        using (var http = engine.CreateClient())
        {
            await http.CreateCollectionAsync("docs", 2);
            for (var i = 0; i < 5; i++)
            {
                await http.OkAsync(HttpMethod.Post, "/v1/collections/docs/search", new { vector = new[] { 1f, 0f }, top_k = 1 });
            }
        }

        // Framework request logging costs more than a search, and a file watcher on the working directory woke
        // every engine on every write of every other engine below it.
        Assert.DoesNotContain("Request starting", engine.Output, StringComparison.Ordinal);
        Assert.Equal(0, Directory.GetFiles($"/proc/{engine.Pid}/fd").Count(IsInotify));
    }

    // An open file descriptor of an inotify instance; one closed meanwhile is not.
    private static bool IsInotify(string fd)
    {
        try
        {
            return new FileInfo(fd).LinkTarget == "anon_inode:inotify";
        }
        catch (IOException)
        {
            return false;
        }
    }
}
