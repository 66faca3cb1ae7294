using System.Diagnostics;
using System.Security.Cryptography;
using System.Text;
using Piramid.TestKit.Processes;

namespace Piramid.Benchmarks;

/// <summary>
/// The price of one tenant: start-to-ready time of the engine process (launch until <c>/health/ready</c>
/// answers) and its idle RSS with one empty collection. Runs the binary in <c>PIRAMID_ENGINE_BINARY</c>
/// (the Native AOT build that <c>./piramid</c> publishes to <c>.piramid/bin/engine/Piramid.DataPlane</c>).
/// </summary>
internal sealed class StartupMode : IBenchmarkMode
{
    public string Name => "startup";

    public string Usage => "[--runs 10] [--idle-seconds 3]";

    public int Run(BenchmarkArgs args)
    {
        var runs = args.GetInt("runs", 10, min: 1);
        var idleSeconds = args.GetInt("idle-seconds", 3, min: 0);
        args.ThrowIfUnused();
        var binary = EngineBinary.Resolve();
        Console.WriteLine($"engine: {binary.FileName} {string.Join(' ', binary.Arguments)}");

        var ready = new List<double>();
        var rss = new List<long>();
        for (var run = 0; run < runs; run++)
        {
            var directory = EngineBench.TempDirectory("startup");
            try
            {
                var options = new EngineProcessOptions
                {
                    DataDirectory = Path.Combine(directory, "data"),
                    PlatformKey = Convert.ToBase64String(RandomNumberGenerator.GetBytes(32)),
                    EngineSecret = Convert.ToBase64String(RandomNumberGenerator.GetBytes(32)),
                };
                var clock = Stopwatch.StartNew();
                var engine = EngineProcess.StartAsync(options).GetAwaiter().GetResult();
                ready.Add(clock.Elapsed.TotalMilliseconds);
                using (var http = engine.CreateClient())
                {
                    using var body = new StringContent("""{"dimension":768,"metric":"cosine"}""", Encoding.UTF8, "application/json");
                    http.PutAsync(new Uri("/v1/collections/empty", UriKind.Relative), body).GetAwaiter().GetResult().EnsureSuccessStatusCode();
                }

                Thread.Sleep(TimeSpan.FromSeconds(idleSeconds));
                rss.Add(ReadRssKiB(engine.Pid));
                engine.StopAsync().GetAwaiter().GetResult();
                engine.DisposeAsync().AsTask().GetAwaiter().GetResult();
            }
            finally
            {
                Directory.Delete(directory, recursive: true);
            }
        }

        ready.Sort();
        rss.Sort();
        var readyMedian = ready[ready.Count / 2];
        var rssMedian = rss[rss.Count / 2] / 1024.0;
        Console.WriteLine($"start-to-ready: median {readyMedian:F0} ms (min {ready[0]:F0}, max {ready[^1]:F0}) over {runs} starts");
        Console.WriteLine($"idle RSS with one empty collection: median {rssMedian:F1} MiB (min {rss[0] / 1024.0:F1}, max {rss[^1] / 1024.0:F1})");
        var path = BenchmarkReport.Write(Name, json =>
        {
            json.WriteString("mode", Name);
            json.WriteString("binary", binary.FileName);
            json.WriteNumber("runs", runs);
            json.WriteNumber("ready_ms_median", Math.Round(readyMedian, 1));
            json.WriteNumber("idle_rss_mib_median", Math.Round(rssMedian, 1));
        });
        Console.WriteLine($"wrote {path}");
        return 0;
    }

    private static long ReadRssKiB(int pid)
    {
        foreach (var line in File.ReadLines($"/proc/{pid}/status"))
        {
            if (line.StartsWith("VmRSS:", StringComparison.Ordinal))
            {
                return long.Parse(line.Split(' ', StringSplitOptions.RemoveEmptyEntries)[1], System.Globalization.CultureInfo.InvariantCulture);
            }
        }

        throw new InvalidOperationException("VmRSS not found");
    }
}
