using System.Text.RegularExpressions;
using Piramid.Client.Tests.Support;
using Xunit.Abstractions;

namespace Piramid.Client.Tests;

/// <summary>
/// The TypeScript client's own tests (node --test) against this live platform. Their TAP report goes to
/// <c>PIRAMID_TS_RESULTS</c> when set: ./piramid test adds its pass and fail counts to its total.
/// </summary>
[Collection(ClientCollection.Name)]
public sealed partial class TypeScriptClientTests(ClientPlatform platform, ITestOutputHelper output)
{
    [Fact]
    public async Task NodeTests_PassAgainstTheLivePlatform()
    {
        await TypeScriptPackage.BuildAsync();
        var environment = new Dictionary<string, string>
        {
            ["PIRAMID_URL"] = platform.Host.GatewayAddress.ToString(),
            ["PIRAMID_KEY"] = await platform.NewTenantKeyAsync(),
            ["PIRAMID_LIMITED_KEY"] = await platform.NewTenantKeyAsync(ClientPlatform.TinyPlan),
            ["PIRAMID_TRANSPORT_KEY"] = await platform.NewTenantKeyAsync(), // its own tenant: the plan's 5 collections are live.test.ts's
        };

        // The test files by name: given the folder, node would also run its helper modules as tests.
        var files = Directory.GetFiles(Path.Combine(TypeScriptPackage.Directory, "dist", "test"), "*.test.js").Order(StringComparer.Ordinal);
        var result = await ChildProcess.RunAsync("node", ["--test", "--test-reporter=tap", .. files], TypeScriptPackage.Directory, environment, TimeSpan.FromMinutes(5));
        if (Environment.GetEnvironmentVariable("PIRAMID_TS_RESULTS") is { Length: > 0 } report)
        {
            await File.WriteAllTextAsync(report, result.Output);
        }

        output.WriteLine(result.Output);
        Assert.True(result.ExitCode == 0, $"node --test exited {result.ExitCode}:\n{result.Output}");
        // A run that found no tests also exits 0: count them.
        var passed = int.Parse(PassCount().Match(result.Output).Groups[1].Value, System.Globalization.CultureInfo.InvariantCulture);
        Assert.True(passed >= 13, $"only {passed} node tests passed:\n{result.Output}");
    }

    [GeneratedRegex(@"^# pass (\d+)$", RegexOptions.Multiline)]
    private static partial Regex PassCount();
}
