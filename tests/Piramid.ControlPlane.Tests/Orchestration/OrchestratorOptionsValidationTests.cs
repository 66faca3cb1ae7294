using Piramid.ControlPlane.Orchestration;
using Piramid.TestKit;
using Piramid.TestKit.Processes;

namespace Piramid.ControlPlane.Tests.Orchestration;

/// <summary>
/// With per-tenant uids, a state directory or engine binary another uid cannot reach, or a platform key file
/// others can read, stops the control plane at start with the option named, instead of engines that crash-loop.
/// </summary>
[System.Runtime.Versioning.UnsupportedOSPlatform("windows")]
public sealed class OrchestratorOptionsValidationTests : IDisposable
{
    private readonly TempDirectory _temp = new("piramid-options");

    public void Dispose() => _temp.Dispose();

    [Fact]
    public void EngineUsersOn_UnreachableStateDirectoryBinaryAndReadableKey_EachNamedByItsOption()
    {
        Assert.True(Environment.IsPrivilegedProcess, "per-tenant uids are tested as root, as CI runs the suite");
        var closed = Directory.CreateDirectory(_temp.Combine("closed")).FullName;
        File.SetUnixFileMode(closed, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
        var binary = Path.Combine(closed, "engine");
        File.Copy(EngineBinary.ForOtherUsers(), binary);
        var key = _temp.Combine("platform.key");
        File.WriteAllText(key, Convert.ToBase64String(new byte[32]));
        File.SetUnixFileMode(key, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.OtherRead);

        var result = Validate(Path.Combine(closed, "state"), binary, key, EngineUserMode.On);

        Assert.True(result.Failed);
        Assert.Contains(result.Failures!, f => f.StartsWith("'Orchestrator:StateDirectory'", StringComparison.Ordinal) && f.Contains(closed, StringComparison.Ordinal) && f.Contains("0700", StringComparison.Ordinal));
        Assert.Contains(result.Failures!, f => f.StartsWith("'Orchestrator:EngineBinary'", StringComparison.Ordinal) && f.Contains(closed, StringComparison.Ordinal));
        Assert.Contains(result.Failures!, f => f.StartsWith("'Orchestrator:PlatformKeyFile'", StringComparison.Ordinal) && f.Contains("chmod 600", StringComparison.Ordinal));
    }

    [Fact]
    public void EngineUsersOff_SameLayout_IsAccepted_AndReachableLayoutIsAcceptedWithUsers()
    {
        var closed = Directory.CreateDirectory(_temp.Combine("closed")).FullName;
        File.SetUnixFileMode(closed, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
        var key = _temp.Combine("platform.key");
        File.WriteAllText(key, Convert.ToBase64String(new byte[32]));
        File.SetUnixFileMode(key, UnixFileMode.UserRead | UnixFileMode.UserWrite);

        Assert.True(Validate(Path.Combine(closed, "state"), EngineBinary.ForOtherUsers(), key, EngineUserMode.Off).Succeeded);
        if (Environment.IsPrivilegedProcess)
        {
            Assert.True(Validate(_temp.Combine("state"), EngineBinary.ForOtherUsers(), key, EngineUserMode.On).Succeeded);
        }
    }

    private static Microsoft.Extensions.Options.ValidateOptionsResult Validate(string state, string binary, string key, EngineUserMode users) =>
        new LocalOrchestratorOptionsValidator().Validate(null, new LocalOrchestratorOptions
        {
            StateDirectory = state,
            EngineBinary = binary,
            PlatformKeyFile = key,
            EngineUsers = users,
        });
}
