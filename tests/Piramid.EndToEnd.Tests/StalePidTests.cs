using System.Diagnostics;
using System.Globalization;
using Piramid.EndToEnd.Tests.Support;
using Piramid.TestKit;

namespace Piramid.EndToEnd.Tests;

/// <summary>
/// A pid file outlives its process and the pid gets reused: <c>down</c> and <c>status</c> must recognise
/// their own processes (program and state directory) before believing, or signalling, a pid.
/// </summary>
[Collection(PlatformCollection.Name)]
public sealed class StalePidTests(LocalPlatform platform)
{
    [Fact]
    public async Task DownAndStatus_WithStalePidFiles_LeaveUnrelatedProcessesAlone()
    {
        using var state = new TempDirectory("piramid-stale");
        Directory.CreateDirectory(state.Combine("run"));
        using var unrelated = Process.Start(new ProcessStartInfo("sleep", "600") { UseShellExecute = false })!;
        try
        {
            // One pid of an unrelated program, one of the very program expected, but serving another state.
            var otherControlPlane = platform.ServicePid("control-plane");
            await File.WriteAllTextAsync(state.Combine("run", "gateway.pid"), unrelated.Id.ToString(CultureInfo.InvariantCulture) + "\n");
            await File.WriteAllTextAsync(state.Combine("run", "control-plane.pid"), otherControlPlane.ToString(CultureInfo.InvariantCulture) + "\n");

            var status = await PiramidScript.RunCheckedAsync(RepositoryPaths.Root, state.Path, "status");
            Assert.Contains("gateway: stopped", status.StandardOutput, StringComparison.Ordinal);
            Assert.Contains("control plane: stopped", status.StandardOutput, StringComparison.Ordinal);

            var down = await PiramidScript.RunCheckedAsync(RepositoryPaths.Root, state.Path, "down");
            Assert.DoesNotContain("stopping the", down.StandardError, StringComparison.Ordinal);
            Assert.False(unrelated.HasExited, "down signalled an unrelated process: " + down.Output);
            using var controlPlane = Process.GetProcessById(otherControlPlane);
            Assert.False(controlPlane.HasExited, "down signalled another state's control plane: " + down.Output);
        }
        finally
        {
            unrelated.Kill();
        }

        // The platform the pid was borrowed from still answers.
        using var http = new HttpClient { BaseAddress = platform.Gateway };
        await Eventually.SucceedsAsync(http, "/health/ready", TimeSpan.FromSeconds(5));
    }
}
