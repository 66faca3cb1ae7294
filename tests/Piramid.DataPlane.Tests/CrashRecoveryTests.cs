using Piramid.DataPlane.Tests.Support;
using Piramid.TestKit.Processes.KillSoak;

namespace Piramid.DataPlane.Tests;

/// <summary>
/// SIGKILL the engine at random moments under concurrent upserts (new ids and overwrites) and deletes on
/// flat, HNSW and int8 collections, restart it, and prove that every acknowledged change is there exactly,
/// that an unacknowledged batch is all or nothing, and that no point is ever half there. Each kill checks
/// that round's writes plus a seeded sample of older ids, so the cost per kill stays flat; the end checks
/// everything. <c>PIRAMID_CRASH_KILLS</c> sets the kills per durability policy (default 12, so 24 in the
/// suite); 1,000 kills: <c>dotnet run -c Release --project tests/Piramid.Benchmarks -- killsoak</c>.
/// </summary>
public sealed class CrashRecoveryTests
{
    private static int Kills =>
        int.TryParse(Environment.GetEnvironmentVariable("PIRAMID_CRASH_KILLS"), out var n) && n > 0 ? n : 12;

    [Theory]
    [InlineData("always", 11)]
    [InlineData("batch", 23)]
    public async Task Kill_DuringConcurrentUpsertsAndDeletes_KeepsEveryAcknowledgedChangeWhole(string durability, int seed)
    {
        await using var host = new EngineTestHost();
        var options = new KillSoakOptions
        {
            Engine = host.Options(durability),
            Kills = Kills,
            Seed = seed,
            Durabilities = [durability],
            // Two clean stops among the kills: later kills recover from a checkpoint plus the log.
            CleanStopEvery = 5,
        };

        var result = await KillSoakRunner.RunAsync(options);

        Assert.True(result.ViolationCount == 0, result.Summary());
        Assert.Equal(Kills, result.Kills);
        Assert.True(result.CleanStops >= 2, result.Summary());
        // Every writer had a write acknowledged before each kill, and each kill cut one write per writer short:
        // otherwise the kills proved nothing about acknowledged or in-flight writes.
        var writers = options.Collections.Count * options.WritersPerCollection;
        Assert.True(result.AcknowledgedUpserts + result.AcknowledgedDeletes >= (long)Kills * writers, result.Summary());
        Assert.True(result.AcknowledgedDeletes > 0, result.Summary());
        Assert.Equal((long)Kills * writers, result.UnknownAtKill);
        Assert.True(result.FinalPoints > 0, result.Summary());
    }
}
