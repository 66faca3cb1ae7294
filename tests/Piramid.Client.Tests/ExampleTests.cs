using System.Text.RegularExpressions;
using Piramid.Client.Tests.Support;
using Xunit.Abstractions;

namespace Piramid.Client.Tests;

/// <summary>The READMEs' runnable examples (create a collection, upsert, search with a filter) against the live platform, twice each.</summary>
[Collection(ClientCollection.Name)]
public sealed class ExampleTests(ClientPlatform platform, ITestOutputHelper output)
{
    // Both examples ask for the 3 nearest points of one genre before a year: only two of their four points qualify.
    private static readonly Regex ResultLine = new(@"^-?\d+\.\d{4}  \S+  .+ \(\d{4}\)$", RegexOptions.Multiline);

    [Fact]
    public async Task DotNetExample_CreatesUpsertsAndSearchesWithAFilter()
    {
        var key = await platform.NewTenantKeyAsync();
        var dll = Path.Combine(AppContext.BaseDirectory, "Piramid.Client.Example.dll");
        foreach (var run in new[] { 1, 2 })
        {
            var result = await ChildProcess.RunAsync("dotnet", [dll], AppContext.BaseDirectory, Environment(key), TimeSpan.FromMinutes(2));
            output.WriteLine($"run {run}:\n{result.Output}");
            Assert.True(result.ExitCode == 0, result.Output);
            Assert.Contains("collection quickstart-books: dimension 3, metric cosine", result.Output, StringComparison.Ordinal);
            Assert.Contains("upserted 4 points", result.Output, StringComparison.Ordinal);
            Assert.Equal(["dune", "solaris"], ResultLine.Matches(result.Output).Select(m => m.Value.Split("  ")[1]));
        }
    }

    [Fact]
    public async Task TypeScriptExample_CreatesUpsertsAndSearchesWithAFilter()
    {
        await TypeScriptPackage.BuildAsync();
        var key = await platform.NewTenantKeyAsync();
        foreach (var run in new[] { 1, 2 })
        {
            var result = await ChildProcess.RunAsync("node", ["dist/examples/quickstart.js"], TypeScriptPackage.Directory, Environment(key), TimeSpan.FromMinutes(2));
            output.WriteLine($"run {run}:\n{result.Output}");
            Assert.True(result.ExitCode == 0, result.Output);
            Assert.Contains("collection quickstart-films: dimension 3, metric cosine", result.Output, StringComparison.Ordinal);
            Assert.Contains("upserted 4 points", result.Output, StringComparison.Ordinal);
            Assert.Equal(["alien", "the-thing"], ResultLine.Matches(result.Output).Select(m => m.Value.Split("  ")[1]));
        }
    }

    private Dictionary<string, string> Environment(string key) => new()
    {
        ["PIRAMID_URL"] = platform.Host.GatewayAddress.ToString(),
        ["PIRAMID_API_KEY"] = key,
    };
}
