using System.Globalization;
using System.Text;
using Piramid.ControlPlane.Tests.Support;
using Xunit.Abstractions;
using static Piramid.ControlPlane.Tests.Orchestration.OrchestrationEnvironment;

namespace Piramid.ControlPlane.Tests.Orchestration;

/// <summary>Each engine holds only its own tenant's keys: no platform key, no other tenant's files.</summary>
[Collection(PostgresCollection.Name)]
[System.Runtime.Versioning.UnsupportedOSPlatform("windows")]
public sealed class EngineIsolationTests(PostgresFixture postgres, ITestOutputHelper output)
{
    [Fact]
    public async Task Provision_EngineHasNoPlatformKey_InEnvironmentArgvOrOpenFiles_DataSurvivesRestart()
    {
        await using var env = await CreateAsync(postgres, output);
        await using var controlPlane = await env.StartControlPlaneAsync();
        var (tenant, plan) = await env.SeedTenantAsync("t_nokek");
        var route = await controlPlane.Contract.ProvisionAsync(tenant, plan, CancellationToken.None);
        Dictionary<string, float[]> points;
        using (var http = Client(route))
        {
            points = await WritePointsAsync(http, "docs", 25, seed: 17);
        }

        var pid = (await env.EngineRowAsync(tenant.Id))!.ProcessId!.Value;
        AssertHoldsNoPlatformKey(env, pid);

        // The engine reads its data with the key the control plane unwrapped for it, after a restart too.
        await controlPlane.Contract.StopAsync(tenant.Id, CancellationToken.None);
        var restarted = await controlPlane.Contract.StartAsync(tenant.Id, CancellationToken.None);
        var newPid = (await env.EngineRowAsync(tenant.Id))!.ProcessId!.Value;
        Assert.NotEqual(pid, newPid);
        AssertHoldsNoPlatformKey(env, newPid);
        using (var http = Client(restarted))
        {
            await AssertPointsAsync(http, "docs", points);
        }
    }

    [Fact]
    public async Task TwoTenants_RunUnderTheirOwnUids_NeitherCanOpenTheOthersFiles()
    {
        Assert.True(Environment.IsPrivilegedProcess, "per-tenant uids are tested as root, as CI runs the suite");
        await using var env = await CreateAsync(postgres, output);
        await using var controlPlane = await env.StartControlPlaneAsync();
        var (a, plan) = await env.SeedTenantAsync("t_uid_a");
        var (b, _) = await env.SeedTenantAsync("t_uid_b");
        await controlPlane.Contract.ProvisionAsync(a, plan, CancellationToken.None);
        var routeB = await controlPlane.Contract.ProvisionAsync(b, plan, CancellationToken.None);
        using (var http = Client(routeB))
        {
            await WritePointsAsync(http, "docs", 5, seed: 3);
        }

        var rowA = (await env.EngineRowAsync(a.Id))!;
        var rowB = (await env.EngineRowAsync(b.Id))!;
        var uidA = rowA.OsUserId!.Value;
        var uidB = rowB.OsUserId!.Value;
        Assert.NotEqual(uidA, uidB);
        Assert.All(new[] { uidA, uidB }, u => Assert.InRange(u, 2_000_000, 2_999_999));
        Assert.Equal(Enumerable.Repeat(uidA, 4), Uids(rowA.ProcessId!.Value));
        Assert.Equal(Enumerable.Repeat(uidB, 4), Uids(rowB.ProcessId!.Value));

        var keyFileA = controlPlane.Orchestrator.KeyFileOf(a.Id);
        var keyFileB = controlPlane.Orchestrator.KeyFileOf(b.Id);
        Assert.Equal(UnixFileMode.UserRead, File.GetUnixFileMode(keyFileB));
        Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute, File.GetUnixFileMode(rowB.DataDirectory));

        // The probe works: A's uid reads its own key file and lists its own directory...
        Assert.Equal(0, await RunAsAsync(uidA, "cat", keyFileA));
        Assert.Equal(0, await RunAsAsync(uidA, "ls", rowA.DataDirectory));

        // ...and opens nothing of B's, nor the platform key.
        Assert.NotEqual(0, await RunAsAsync(uidA, "cat", keyFileB));
        Assert.NotEqual(0, await RunAsAsync(uidA, "ls", rowB.DataDirectory));
        Assert.NotEqual(0, await RunAsAsync(uidA, "cat", Path.Combine(rowB.DataDirectory, "datakey.wrapped")));
        Assert.NotEqual(0, await RunAsAsync(uidA, "ls", Path.GetDirectoryName(rowB.DataDirectory)!));
        Assert.NotEqual(0, await RunAsAsync(uidA, "cat", env.PlatformKeyFile));
        Assert.NotEqual(0, await RunAsAsync(uidA, "cat", $"/proc/{rowB.ProcessId}/environ"));
        Assert.NotEqual(0, await RunAsAsync(uidA, "ls", Path.GetDirectoryName(keyFileB)!));
    }

    private static int[] Uids(int pid) =>
        [.. File.ReadLines($"/proc/{pid.ToString(CultureInfo.InvariantCulture)}/status").First(l => l.StartsWith("Uid:", StringComparison.Ordinal))[4..]
            .Split((char[])['\t', ' '], StringSplitOptions.RemoveEmptyEntries).Select(v => int.Parse(v, CultureInfo.InvariantCulture))];

    /// <summary>Runs a command as <paramref name="uid"/> (gid the same, no groups), as a compromised engine would; its exit code.</summary>
    internal static async Task<int> RunAsAsync(int uid, params string[] command)
    {
        var info = new System.Diagnostics.ProcessStartInfo("setpriv") { RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var argument in (string[])[$"--reuid={uid}", $"--regid={uid}", "--clear-groups", "--", .. command])
        {
            info.ArgumentList.Add(argument);
        }

        using var process = System.Diagnostics.Process.Start(info)!;
        await process.StandardOutput.ReadToEndAsync();
        await process.StandardError.ReadToEndAsync();
        await process.WaitForExitAsync();
        return process.ExitCode;
    }

    /// <summary>Neither the platform key nor its file shows in the process's environment, argv or open files.</summary>
    internal static void AssertHoldsNoPlatformKey(OrchestrationEnvironment env, int pid)
    {
        var proc = "/proc/" + pid.ToString(CultureInfo.InvariantCulture);
        var keyText = Convert.ToBase64String(env.PlatformKey);
        var keyFileName = Path.GetFileName(env.PlatformKeyFile);
        foreach (var name in new[] { "environ", "cmdline" })
        {
            var bytes = File.ReadAllBytes(Path.Combine(proc, name));
            var text = Encoding.UTF8.GetString(bytes);
            Assert.True(text.Length > 0, $"{proc}/{name} is empty: wrong process");
            Assert.DoesNotContain("PlatformKey", text, StringComparison.OrdinalIgnoreCase);
            Assert.DoesNotContain(keyText, text, StringComparison.Ordinal);
            Assert.DoesNotContain(keyFileName, text, StringComparison.Ordinal);
            Assert.True(bytes.AsSpan().IndexOf(env.PlatformKey) < 0, $"{proc}/{name} holds the raw platform key");
        }

        var environ = File.ReadAllText(Path.Combine(proc, "environ"));
        Assert.Contains("Engine__KeyFile=", environ, StringComparison.Ordinal);
        Assert.Contains("DOTNET_GCHeapHardLimit=80000000\0", environ, StringComparison.Ordinal); // 2 GiB, the documented default.
        foreach (var fd in Directory.EnumerateFileSystemEntries(Path.Combine(proc, "fd")))
        {
            var target = new FileInfo(fd).LinkTarget;
            Assert.NotEqual(Path.GetFullPath(env.PlatformKeyFile), target);
        }
    }
}
