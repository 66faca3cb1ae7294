using System.Diagnostics;
using System.Text.RegularExpressions;
using Piramid.EndToEnd.Tests.Support;
using Piramid.TestKit;

namespace Piramid.EndToEnd.Tests;

/// <summary>docs/QUICKSTART.md as a newcomer runs it: its shell snippets, pasted into a new shell, twice.</summary>
[Collection(PlatformCollection.Name)]
public sealed partial class QuickstartTests(LocalPlatform platform)
{
    [Fact]
    public async Task Snippets_RunInTwoFreshShells_SucceedBothTimes_WithoutTracebacks()
    {
        // The platform is already up: the block that starts it is the only one left out.
        var blocks = BashBlock().Matches(await File.ReadAllTextAsync(Path.Combine(RepositoryPaths.Root, "docs", "QUICKSTART.md")))
            .Select(m => m.Groups["code"].Value)
            .Where(code => !code.Contains("./piramid up", StringComparison.Ordinal))
            .ToList();
        Assert.True(blocks.Count >= 5, $"the quickstart has {blocks.Count} shell blocks");
        var script = "set -euo pipefail\n" + string.Join('\n', blocks);

        foreach (var run in new[] { "first", "second" })
        {
            var result = await BashAsync(script);
            Assert.True(result.ExitCode == 0, $"{run} run exited {result.ExitCode}:\n{result.Output}");
            Assert.DoesNotContain("Traceback", result.Output, StringComparison.Ordinal);
            Assert.Contains("\"word\"", result.StandardOutput, StringComparison.Ordinal);
            Assert.Contains("{\"count\":3", result.StandardOutput, StringComparison.Ordinal);
            Assert.Contains("invalid-request", result.StandardOutput, StringComparison.Ordinal);
        }
    }

    [Fact]
    public async Task Search_IntoAReaderThatStopsEarly_EndsQuietly()
    {
        // The gloss, a blank line, then the first hit: head closes the pipe while the script still writes.
        var result = await BashAsync("./piramid search car | head -3");

        Assert.Equal(0, result.ExitCode);
        Assert.Equal(3, result.StandardOutput.Count(c => c == '\n'));
        Assert.StartsWith("car: ", result.StandardOutput, StringComparison.Ordinal);
        Assert.Equal(string.Empty, result.StandardError);
    }

    [Fact]
    public async Task Search_ForAWordNotInTheDemo_SaysSo_WithoutATraceback()
    {
        var result = await BashAsync("./piramid search qqqxyzzy");

        Assert.NotEqual(0, result.ExitCode);
        Assert.Contains("is not among the demo", result.StandardError, StringComparison.Ordinal);
        Assert.DoesNotContain("Traceback", result.Output, StringComparison.Ordinal);
    }

    private async Task<PiramidScript.Result> BashAsync(string script)
    {
        var start = new ProcessStartInfo("bash")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            WorkingDirectory = RepositoryPaths.Root,
        };
        start.ArgumentList.Add("-c");
        start.ArgumentList.Add(script);
        start.Environment["PIRAMID_STATE_DIR"] = platform.State;
        using var process = Process.Start(start)!;
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        using var timeout = new CancellationTokenSource(TimeSpan.FromMinutes(2));
        await process.WaitForExitAsync(timeout.Token);
        return new PiramidScript.Result(process.ExitCode, await stdout, await stderr);
    }

    [GeneratedRegex(@"^```bash\n(?<code>.*?)^```", RegexOptions.Multiline | RegexOptions.Singleline)]
    private static partial Regex BashBlock();
}
