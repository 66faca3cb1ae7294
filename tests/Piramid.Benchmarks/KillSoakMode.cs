using System.Security.Cryptography;
using Piramid.TestKit;
using Piramid.TestKit.Processes;
using Piramid.TestKit.Processes.KillSoak;

namespace Piramid.Benchmarks;

/// <summary>
/// The crash test at scale, outside the suite: <c>--kills</c> SIGKILLs of the engine binary from
/// <c>PIRAMID_ENGINE_BINARY</c> under concurrent upserts and deletes on flat, HNSW and int8 collections,
/// alternating the durability policies, each kill followed by a restart and a check (docs/design/wal.md,
/// "Kill soak"). Exits 1 on any violation; a violation names the seed and the kill to rerun it.
/// </summary>
internal sealed class KillSoakMode : IBenchmarkMode
{
    public string Name => "killsoak";

    public string Usage => "[--kills 1000] [--seed 1] [--durability always,batch] [--writers 2] [--sample 24] [--max-ids 300] [--clean-stop-every 10]";

    public int Run(BenchmarkArgs args)
    {
        var kills = args.GetInt("kills", 1000, min: 1);
        var seed = args.GetInt("seed", 1);
        var durabilities = (args.GetString("durability") ?? "always,batch").Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        var writers = args.GetInt("writers", 2, min: 1);
        var sample = args.GetInt("sample", 24, min: 0);
        var maxIds = args.GetInt("max-ids", 300, min: 1);
        var cleanStopEvery = args.GetInt("clean-stop-every", 10, min: 0);
        args.ThrowIfUnused();

        using var temp = new TempDirectory("piramid-killsoak");
        var options = new KillSoakOptions
        {
            Engine = new EngineProcessOptions
            {
                DataDirectory = temp.Combine("data"),
                PlatformKey = Convert.ToBase64String(RandomNumberGenerator.GetBytes(32)),
                EngineSecret = Convert.ToBase64String(RandomNumberGenerator.GetBytes(32)),
            },
            Kills = kills,
            Seed = seed,
            Durabilities = durabilities,
            WritersPerCollection = writers,
            SamplePerWriter = sample,
            MaxIdsPerWriter = maxIds,
            CleanStopEvery = cleanStopEvery,
            Progress = Console.WriteLine,
        };
        Console.WriteLine($"killsoak: {kills} kills, seed {seed}, policies {string.Join(",", durabilities)}, {writers} writers on each of {string.Join(", ", options.Collections.Select(c => c.Name))}, engine {EngineBinary.Resolve().FileName}");
        var result = KillSoakRunner.RunAsync(options).GetAwaiter().GetResult();
        Console.WriteLine(result.Summary());

        var path = BenchmarkReport.Write(Name, json =>
        {
            json.WriteString("mode", Name);
            json.WriteNumber("seed", seed);
            json.WriteNumber("kills", result.Kills);
            json.WriteNumber("clean_stops", result.CleanStops);
            json.WriteString("durability", string.Join(",", durabilities));
            json.WriteNumber("acknowledged_upserts_verified", result.AcknowledgedUpserts);
            json.WriteNumber("acknowledged_deletes_verified", result.AcknowledgedDeletes);
            json.WriteNumber("unacknowledged_at_kill", result.UnknownAtKill);
            json.WriteNumber("unacknowledged_found_applied", result.UnknownApplied);
            json.WriteNumber("point_checks", result.PointsChecked);
            json.WriteNumber("final_points", result.FinalPoints);
            json.WriteNumber("violations", result.ViolationCount);
            json.WriteNumber("seconds", Math.Round(result.Elapsed.TotalSeconds, 1));
        });
        Console.WriteLine($"wrote {path}");
        return result.ViolationCount == 0 && result.Kills == kills ? 0 : 1;
    }
}
