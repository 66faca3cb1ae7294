using System.Diagnostics;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using Piramid.EndToEnd.Tests.Support;
using Piramid.TestKit;
using Xunit.Abstractions;

namespace Piramid.EndToEnd.Tests;

/// <summary>
/// A first run the way a new user does it: a clone in a directory other users cannot enter (a home
/// directory, <c>mktemp -d</c>), then <c>./piramid up</c> with the default state, a search, <c>down</c>.
/// The build outputs are copied in rather than rebuilt, to keep the suite short on 2 cores.
/// </summary>
[Collection(PlatformCollection.Name)]
public sealed partial class FirstRunTests(ITestOutputHelper output)
{
    private const UnixFileMode OwnerOnly = UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute;

    // What the build leaves and `up --no-build` starts (./piramid: CONTROL_PLANE_DLL, GATEWAY_DLL, ENGINE_BIN).
    private static readonly string[] BuildOutputs =
    [
        "src/ControlPlane/Piramid.ControlPlane/bin/Release/net10.0",
        "src/Gateway/Piramid.Gateway/bin/Release/net10.0",
        ".piramid/bin/engine",
    ];

    [Fact]
    public async Task FreshClone_InAnOwnerOnlyDirectory_UpServesTheDemo_AndDownStopsIt()
    {
        var parent = Path.Combine(Path.GetTempPath(), "piramid-firstrun-" + Guid.NewGuid().ToString("N")[..12]);
        Directory.CreateDirectory(parent, OwnerOnly);
        var checkout = Path.Combine(parent, "piramid");
        try
        {
            await RunAsync("git", "clone", "--quiet", RepositoryPaths.Root, checkout);
            foreach (var outputs in BuildOutputs)
            {
                Directory.CreateDirectory(Path.Combine(checkout, outputs));
                await RunAsync("cp", "-a", Path.Combine(RepositoryPaths.Root, outputs) + "/.", Path.Combine(checkout, outputs));
            }

            var clock = Stopwatch.StartNew();
            var up = await PiramidScript.RunCheckedAsync(checkout, null, "up", "--no-build");
            output.WriteLine($"up --no-build: {clock.Elapsed.TotalSeconds:F1} s");

            // The gateway and the demo key as printed for the user.
            var gateway = new Uri(GatewayLine().Match(up.StandardOutput) is { Success: true } g ? g.Groups[1].Value : throw new Xunit.Sdk.XunitException(up.Output));
            var key = DemoKeyLine().Match(up.StandardOutput) is { Success: true } k ? k.Groups[1].Value : throw new Xunit.Sdk.XunitException(up.Output);
            using (var demo = new HttpClient { BaseAddress = gateway })
            {
                demo.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", key);
                var car = await (await demo.PostAsJsonAsync("/v1/collections/wordnet/scroll", new { filter = new { word = "car" }, include_vector = true, limit = 1 }))
                    .Content.ReadFromJsonAsync<JsonObject>();
                var point = car!["points"]![0]!;
                var vector = point["vector"]!.AsArray().Select(v => v!.GetValue<float>()).ToArray();
                using var search = await demo.PostAsJsonAsync("/v1/collections/wordnet/search", new { vector, top_k = 5 });
                Assert.True(search.IsSuccessStatusCode, await search.Content.ReadAsStringAsync());
                var results = (await search.Content.ReadFromJsonAsync<JsonObject>())!["results"]!.AsArray();
                Assert.Equal(5, results.Count);
                Assert.Equal(point["id"]!.GetValue<string>(), results[0]!["id"]!.GetValue<string>());
            }

            output.WriteLine($"up to first search: {clock.Elapsed.TotalSeconds:F1} s");
            Assert.Equal(OwnerOnly, File.GetUnixFileMode(parent)); // nothing above the checkout was opened up

            // The script's readiness polling met 503s while the routes loaded; they are not errors a client saw.
            var running = await PiramidScript.RunCheckedAsync(checkout, null, "status");
            Assert.Contains(" 0 errors (5xx)", running.StandardOutput, StringComparison.Ordinal);

            await PiramidScript.RunCheckedAsync(checkout, null, "down");
            var status = await PiramidScript.RunCheckedAsync(checkout, null, "status");
            Assert.Equal("gateway: stopped|control plane: stopped|postgres: stopped|engines: 0 running|prometheus: stopped",
                string.Join('|', status.StandardOutput.Trim().Split('\n')));
            using var probe = new HttpClient { BaseAddress = gateway, Timeout = TimeSpan.FromSeconds(5) };
            await Assert.ThrowsAsync<HttpRequestException>(() => probe.GetAsync(new Uri("/health/ready", UriKind.Relative)));
        }
        finally
        {
            if (File.Exists(Path.Combine(checkout, "piramid")))
            {
                await PiramidScript.RunAsync(checkout, null, "purge", "--yes");
            }

            Directory.Delete(parent, recursive: true);
        }
    }

    private static async Task RunAsync(string file, params string[] args)
    {
        var start = new ProcessStartInfo(file) { RedirectStandardError = true, RedirectStandardOutput = true };
        foreach (var arg in args)
        {
            start.ArgumentList.Add(arg);
        }

        using var process = Process.Start(start)!;
        var stderr = process.StandardError.ReadToEndAsync();
        _ = await process.StandardOutput.ReadToEndAsync();
        await process.WaitForExitAsync();
        Assert.True(process.ExitCode == 0, $"{file} {string.Join(' ', args)}: {await stderr}");
    }

    [GeneratedRegex(@"^\s+gateway\s+(http://\S+)", RegexOptions.Multiline)]
    private static partial Regex GatewayLine();

    [GeneratedRegex(@"^\s+demo API key\s+(\S+)", RegexOptions.Multiline)]
    private static partial Regex DemoKeyLine();
}
