using System.Diagnostics;
using System.Runtime.Intrinsics.X86;
using Piramid.ControlPlane.Hosting;
using Piramid.TestKit;

namespace Piramid.ControlPlane.Tests.Orchestration;

/// <summary>
/// The Native AOT engine needs x86-64-v3: the real control plane process, started on a CPU whose AVX2 the runtime
/// hides (<c>DOTNET_EnableAVX2=0</c>, as a CPU without it would look), refuses to start with the reason; an engine
/// run on the JIT (<c>.dll</c>), or a CPU with AVX2, passes the check and goes on to the database (here a closed
/// port, so every run ends by itself).
/// </summary>
[System.Runtime.Versioning.UnsupportedOSPlatform("windows")]
public sealed class EngineCpuRequirementTests : IDisposable
{
    private const string Refusal = "'Orchestrator:EngineBinary' is a Native AOT engine compiled for x86-64-v3, and this CPU lacks AVX2";
    private readonly TempDirectory _temp = new("piramid-cpu");

    public void Dispose() => _temp.Dispose();

    [Fact]
    public async Task NativeEngine_CpuWithoutAvx2_ControlPlaneRefusesToStartNamingTheMissingExtensions()
    {
        var (exitCode, output) = await RunControlPlaneAsync("Piramid.DataPlane", hideAvx2: true);

        Assert.NotEqual(0, exitCode);
        Assert.Contains(Refusal, output, StringComparison.Ordinal);
        Assert.Contains("FMA", output, StringComparison.Ordinal);
        Assert.DoesNotContain("Failed to connect", output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task JitEngine_CpuWithoutAvx2_PassesTheCheck()
    {
        var (_, output) = await RunControlPlaneAsync("Piramid.DataPlane.dll", hideAvx2: true);

        Assert.DoesNotContain("this CPU lacks", output, StringComparison.Ordinal);
        Assert.Contains("Failed to connect", output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task NativeEngine_CpuWithAvx2_PassesTheCheck()
    {
        Assert.True(Avx2.IsSupported && Fma.IsSupported, "the suite runs on x86-64-v3 machines, as the engine does");

        var (_, output) = await RunControlPlaneAsync("Piramid.DataPlane", hideAvx2: false);

        Assert.DoesNotContain("this CPU lacks", output, StringComparison.Ordinal);
        Assert.Contains("Failed to connect", output, StringComparison.Ordinal);
    }

    private async Task<(int ExitCode, string Output)> RunControlPlaneAsync(string engineName, bool hideAvx2)
    {
        // Only the name decides native or JIT; the file must exist for the options to reach the CPU check.
        var engine = _temp.Combine(engineName);
        await File.WriteAllTextAsync(engine, string.Empty);
        var key = _temp.Combine("platform.key");
        await File.WriteAllTextAsync(key, Convert.ToBase64String(new byte[32]));
        File.SetUnixFileMode(key, UnixFileMode.UserRead | UnixFileMode.UserWrite);

        var info = new ProcessStartInfo("dotnet") { UseShellExecute = false, RedirectStandardOutput = true, RedirectStandardError = true };
        info.ArgumentList.Add(typeof(ControlPlaneApp).Assembly.Location);
        info.Environment["ConnectionStrings__ControlPlane"] = "Host=127.0.0.1;Port=1;Username=nobody;Database=none;Timeout=5";
        info.Environment["Identity__Issuer"] = "http://127.0.0.1:1";
        info.Environment["Identity__SigningKeyFile"] = _temp.Combine("signing.key");
        info.Environment["Orchestrator__EngineBinary"] = engine;
        info.Environment["Orchestrator__StateDirectory"] = _temp.Combine("state");
        info.Environment["Orchestrator__PlatformKeyFile"] = key;
        info.Environment["Orchestrator__EngineUsers"] = "Off";
        info.Environment["ASPNETCORE_URLS"] = "http://127.0.0.1:0";
        if (hideAvx2)
        {
            info.Environment["DOTNET_EnableAVX2"] = "0";
        }

        using var process = Process.Start(info) ?? throw new InvalidOperationException("dotnet did not start");
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        using var patience = new CancellationTokenSource(TimeSpan.FromSeconds(120));
        try
        {
            await process.WaitForExitAsync(patience.Token);
        }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true);
            throw new TimeoutException($"the control plane did not exit:\n{await stdout}\n{await stderr}");
        }

        return (process.ExitCode, await stdout + await stderr);
    }
}
