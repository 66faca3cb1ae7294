using System.Net.Http.Json;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using Piramid.EndToEnd.Tests.Support;
using Piramid.TestKit;

namespace Piramid.EndToEnd.Tests;

/// <summary>
/// <c>./piramid backup</c>, <c>restore</c>, <c>export</c> and <c>import</c> as a user runs them against the platform
/// <c>./piramid up</c> started (issue 18): each exits 0, shows its progress, and the data comes back whole. The
/// demo collection is left as it was: the restore and the import go to new names, removed at the end.
/// </summary>
[Collection(PlatformCollection.Name)]
public sealed partial class CliBackupTests(LocalPlatform platform)
{
    private const string Demo = "wordnet";

    [Fact]
    public async Task BackupThenRestoreBeside_AndExportThenImport_GiveBackEveryPoint()
    {
        using var tenant = platform.Tenant(platform.Local["demo_api_key"]!.GetValue<string>());
        var count = await CountAsync(tenant, Demo);
        Assert.True(count > 0, "the demo collection is empty");
        try
        {
            var backup = await RunAsync("backup", "--collections", Demo);
            var backupResult = JsonNode.Parse(backup.StandardOutput)!;
            Assert.Equal("completed", backupResult["state"]!.GetValue<string>());
            Assert.Contains("100.0%", backup.StandardError, StringComparison.Ordinal); // the progress, as plain lines off a terminal

            var restore = await RunAsync("restore", "--backup", backupResult["id"]!.GetValue<string>(), "--collections", Demo, "--rename", $"{Demo}=restoredcopy");
            var restored = JsonNode.Parse(restore.StandardOutput)!["collections"]![0]!;
            Assert.Equal("restoredcopy", restored["name"]!.GetValue<string>());
            Assert.Equal(count, restored["points"]!.GetValue<long>());
            Assert.Equal(count, await CountAsync(tenant, "restoredcopy"));
            Assert.Equal(await PointAsync(tenant, Demo), await PointAsync(tenant, "restoredcopy"));

            using var temp = new TempDirectory("piramid-cli");
            var file = temp.Combine("wordnet.ndjson.gz");
            var export = await RunAsync("export", Demo, "--out", file);
            var exported = ExportLine().Match(export.StandardOutput);
            Assert.True(exported.Success, export.Output);
            Assert.Equal(count, long.Parse(exported.Groups["count"].Value, System.Globalization.CultureInfo.InvariantCulture));
            Assert.True(new FileInfo(file).Length > 0);
            var manifest = JsonNode.Parse(await File.ReadAllTextAsync(temp.Combine("wordnet.manifest.json")))!;
            Assert.Equal(count, manifest["count"]!.GetValue<long>());

            var import = await RunAsync("import", "importedcopy", "--export-id", exported.Groups["id"].Value);
            Assert.Contains($"imported {count} points into 'importedcopy'", import.StandardOutput, StringComparison.Ordinal);
            Assert.Equal(count, await CountAsync(tenant, "importedcopy"));
            Assert.Equal(await PointAsync(tenant, Demo), await PointAsync(tenant, "importedcopy"));
        }
        finally
        {
            await tenant.DeleteAsync(new Uri("/v1/collections/restoredcopy", UriKind.Relative));
            await tenant.DeleteAsync(new Uri("/v1/collections/importedcopy", UriKind.Relative));
        }
    }

    private async Task<PiramidScript.Result> RunAsync(params string[] args)
    {
        var result = await PiramidScript.RunAsync(RepositoryPaths.Root, platform.State, args);
        Assert.True(result.ExitCode == 0, $"./piramid {string.Join(' ', args)} exited {result.ExitCode}:\n{result.Output}");
        Assert.DoesNotContain("Traceback", result.Output, StringComparison.Ordinal);
        return result;
    }

    private static async Task<long> CountAsync(HttpClient tenant, string collection)
    {
        var described = await tenant.GetFromJsonAsync<JsonObject>(new Uri($"/v1/collections/{collection}", UriKind.Relative));
        return described!["count"]!.GetValue<long>();
    }

    /// <summary>The first page of points in id order, vectors and metadata included, as JSON text.</summary>
    private static async Task<string> PointAsync(HttpClient tenant, string collection)
    {
        using var response = await tenant.PostAsJsonAsync(new Uri($"/v1/collections/{collection}/scroll", UriKind.Relative), new { limit = 20, include_vector = true });
        response.EnsureSuccessStatusCode();
        return (await response.Content.ReadFromJsonAsync<JsonObject>())!["points"]!.ToJsonString();
    }

    [GeneratedRegex(@"exported (?<count>\d+) points of 'wordnet' \(export (?<id>[^,]+), lsn")]
    private static partial Regex ExportLine();
}
