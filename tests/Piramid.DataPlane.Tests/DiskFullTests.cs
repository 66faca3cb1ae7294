using System.Diagnostics;
using System.Net;
using Piramid.DataPlane.Tests.Support;
using Piramid.TestKit;

namespace Piramid.DataPlane.Tests;

/// <summary>
/// A full disk is real here: the data directory is a small tmpfs (the suite runs as root, as CI does).
/// A write that cannot be made durable is a 507, never an acknowledgement; the engine turns read-only,
/// keeps serving reads, and takes writes again by itself once space is back.
/// </summary>
public sealed class DiskFullTests
{
    [Fact]
    public async Task DiskFull_Writes507AndReadOnly_ThenRecoversWithEveryAcknowledgedWrite()
    {
        using var mount = new TempDirectory("piramid-tmpfs");
        Run("mount", "-t", "tmpfs", "-o", "size=2m", "tmpfs", mount.Path);
        try
        {
            await using var host = new EngineTestHost(Path.Combine(mount.Path, "data"));
            var env = new Dictionary<string, string> { ["Engine__WalSegmentBytes"] = "1048576", ["Engine__MaintenanceIntervalSeconds"] = "0.2" };
            var engine = await host.StartAsync("always", env);
            using var http = engine.CreateClient();
            await http.CreateCollectionAsync("fill", 64);

            var acknowledged = new List<string>();
            HttpStatusCode status = HttpStatusCode.OK;
            string raw = string.Empty;
            for (var batch = 0; batch < 2000 && status == HttpStatusCode.OK; batch++)
            {
                var points = Enumerable.Range(0, 50).Select(i => new { id = $"b{batch}-{i}", vector = Enumerable.Repeat((float)i, 64).ToArray() }).ToArray();
                (status, _, raw, _) = await http.SendAsync(HttpMethod.Post, "/v1/collections/fill/points", new { points });
                if (status == HttpStatusCode.OK)
                {
                    acknowledged.AddRange(points.Select(p => p.id));
                }
            }

            Assert.True(status == HttpStatusCode.InsufficientStorage, $"expected 507 once the disk filled, got {(int)status}: {raw}");
            Assert.Contains("insufficient-storage", raw, StringComparison.Ordinal);
            Assert.NotEmpty(acknowledged);

            // Read-only: further writes are refused at once, reads still work.
            var refused = await http.SendAsync(HttpMethod.Post, "/v1/collections/fill/points",
                new { points = new[] { new { id = "late", vector = new float[64] } } });
            ApiCalls.AssertProblem(refused, 507, "read-only");
            var count = await http.OkAsync(HttpMethod.Post, "/v1/collections/fill/count", new { });
            Assert.True(count["count"]!.GetValue<long>() >= acknowledged.Count);

            // Space comes back: writes resume without a restart.
            Run("mount", "-o", "remount,size=64m", mount.Path);
            var resumed = false;
            for (var attempt = 0; attempt < 100 && !resumed; attempt++)
            {
                var (s, _, _, _) = await http.SendAsync(HttpMethod.Post, "/v1/collections/fill/points",
                    new { points = new[] { new { id = "after", vector = new float[64] } } });
                resumed = s == HttpStatusCode.OK;
                if (!resumed)
                {
                    await Task.Delay(100);
                }
            }

            Assert.True(resumed, "writes did not resume after space came back");
            acknowledged.Add("after");

            engine.Kill();
            var again = await host.StartAsync("always", env);
            using var check = again.CreateClient();
            var stored = await check.ScrollAllAsync("fill");
            Assert.All(acknowledged, id => Assert.True(stored.ContainsKey(id), $"acknowledged {id} lost"));
        }
        finally
        {
            Run("umount", "-l", mount.Path);
        }
    }

    private static void Run(string file, params string[] args)
    {
        var info = new ProcessStartInfo(file) { RedirectStandardError = true, UseShellExecute = false };
        foreach (var a in args)
        {
            info.ArgumentList.Add(a);
        }

        using var process = Process.Start(info)!;
        var error = process.StandardError.ReadToEnd();
        process.WaitForExit();
        Assert.True(process.ExitCode == 0, $"{file} {string.Join(' ', args)} failed: {error}");
    }
}
