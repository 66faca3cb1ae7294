using Piramid.DataPlane.Tests.Support;
using Piramid.TestKit.Processes.KillSoak;

namespace Piramid.DataPlane.Tests;

/// <summary>
/// The kill soak's check must fail when the engine loses acknowledged changes. The data directory is
/// damaged behind the engine's back after a kill, in ways recovery cannot see: the log cut to its headers
/// (read as a torn tail), or the whole directory put back as it was one kill earlier.
/// </summary>
public sealed class KillSoakCheckTests
{
    private const int SegmentHeaderBytes = 32; // docs/design/wal.md, "Files".

    [Fact]
    public async Task KillSoak_WhenTheLogLosesAcknowledgedWrites_ReportsThem()
    {
        await using var host = new EngineTestHost();
        var cut = 0;
        var options = new KillSoakOptions
        {
            Engine = host.Options("always"),
            Kills = 1,
            Seed = 5,
            Durabilities = ["always"],
            CleanStopEvery = 0,
            AfterKill = (_, data) => cut += CutLogs(data),
        };

        var result = await KillSoakRunner.RunAsync(options);

        Assert.True(cut > 0, "no log segment was found to cut");
        Assert.True(result.AcknowledgedUpserts > 0, result.Summary());
        Assert.True(result.ViolationCount > 0, "the check missed lost writes: " + result.Summary());
        Assert.Contains(result.Violations, v => v.Contains("found absent", StringComparison.Ordinal));
    }

    [Fact]
    public async Task KillSoak_WhenTheEngineComesBackOneKillOlder_ReportsLostOverwritesAndDeletes()
    {
        await using var host = new EngineTestHost();
        var snapshot = host.Temp.Combine("after-kill-1");
        var options = new KillSoakOptions
        {
            Engine = host.Options("batch"),
            Kills = 2,
            Seed = 9,
            Durabilities = ["batch"],
            CleanStopEvery = 0,
            AfterKill = (kill, data) =>
            {
                if (kill == 1)
                {
                    CopyDirectory(data, snapshot);
                }
                else
                {
                    Directory.Delete(data, recursive: true);
                    CopyDirectory(snapshot, data);
                }
            },
        };

        var result = await KillSoakRunner.RunAsync(options);

        Assert.Equal(2, result.Kills);
        Assert.True(result.ViolationCount > 0, "the check missed a rollback: " + result.Summary());
        // Round 2 overwrote and deleted ids of round 1: they come back with round 1's versions.
        Assert.Contains(result.Violations, v => v.Contains("found metadata of v", StringComparison.Ordinal));
    }

    private static void CopyDirectory(string from, string to)
    {
        Directory.CreateDirectory(to);
        foreach (var file in Directory.GetFiles(from))
        {
            File.Copy(file, Path.Combine(to, Path.GetFileName(file)));
        }

        foreach (var directory in Directory.GetDirectories(from))
        {
            CopyDirectory(directory, Path.Combine(to, Path.GetFileName(directory)));
        }
    }

    private static int CutLogs(string dataDirectory)
    {
        var segments = Directory.GetFiles(Path.Combine(dataDirectory, "collections"), "wal-*.seg", SearchOption.AllDirectories);
        foreach (var segment in segments)
        {
            using var file = new FileStream(segment, FileMode.Open, FileAccess.Write);
            file.SetLength(SegmentHeaderBytes);
        }

        return segments.Length;
    }
}
