using System.Diagnostics;
using System.Security.Cryptography;
using System.Text;
using Piramid.EndToEnd.Tests.Support;
using Piramid.TestKit;

namespace Piramid.EndToEnd.Tests;

/// <summary>
/// <c>purge</c> deletes a state's data: an engine of that state that ignores SIGTERM must not outlive its data
/// directory as a stray process (one did, after a CI run).
/// </summary>
public sealed class PurgeTests
{
    [Fact]
    public async Task Purge_KillsAnEngineThatIgnoresSigterm_BeforeDeletingItsData()
    {
        using var state = new TempDirectory("piramid-purge");
        var engines = Path.Combine(SharedDirectory(state.Path), "engines");
        // What down recognises as an engine: a process whose data directory lies under the state's engines.
        var start = new ProcessStartInfo("python3") { UseShellExecute = false };
        start.ArgumentList.Add("-c");
        start.ArgumentList.Add("import signal, sys, time; signal.signal(signal.SIGTERM, signal.SIG_IGN); print('ready', flush=True); time.sleep(600)");
        start.RedirectStandardOutput = true;
        start.Environment["Engine__DataDirectory"] = Path.Combine(engines, "t_stubborn");
        using var engine = Process.Start(start)!;
        // A CI machine runs hundreds of processes; purge polls for the engine's exit while it waits, and each poll
        // once scanned every process with forks, so the 30 s wait took over 5 minutes there.
        using var crowd = StartIdleProcesses(300);
        try
        {
            Assert.Equal("ready", await engine.StandardOutput.ReadLineAsync());
            Assert.Equal("ready", await crowd.StandardOutput.ReadLineAsync());

            var purge = await PiramidScript.RunAsync(RepositoryPaths.Root, state.Path, "purge", "--yes");

            Assert.True(purge.ExitCode == 0, purge.Output);
            Assert.Contains("killing an engine", purge.StandardError, StringComparison.Ordinal);
            Assert.True(engine.WaitForExit(TimeSpan.FromSeconds(5)), "the engine outlived purge: " + purge.Output);
        }
        finally
        {
            if (!engine.HasExited)
            {
                engine.Kill();
            }

            crowd.Kill(entireProcessTree: true);
        }
    }

    private static Process StartIdleProcesses(int count)
    {
        var start = new ProcessStartInfo("bash") { UseShellExecute = false, RedirectStandardOutput = true };
        start.ArgumentList.Add("-c");
        start.ArgumentList.Add($"for i in $(seq 1 {count}); do sleep 600 & done; echo ready; wait");
        return Process.Start(start)!;
    }

    // Mirrors ./piramid: as root, state other uids reach lives under /var/lib/piramid/<sha256(state)[..16]>.
    private static string SharedDirectory(string state)
    {
        if (Environment.UserName != "root")
        {
            return state;
        }

        var hash = Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(state)));
        return Path.Combine("/var/lib/piramid", hash[..16]);
    }
}
