using System.Diagnostics;
using System.Globalization;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using Piramid.EndToEnd.Tests.Support;
using Piramid.TestKit;

namespace Piramid.EndToEnd.Tests;

/// <summary>
/// A user of the previous version must not be stuck: <c>up</c> takes a state it left (a <c>trust</c> cluster,
/// tables owned by the superuser, and as root the cluster and the engines inside the state directory) and
/// brings it to the current layout with every tenant's data.
/// </summary>
[Collection(PlatformCollection.Name)]
public sealed class LegacyStateTests(LocalPlatform platform)
{
    [Fact]
    public async Task Up_OnAStateOfThePreviousVersion_SecuresAndMovesIt_KeepingTheData()
    {
        var state = platform.State;
        var shared = platform.SharedDirectory;
        var port = int.Parse(File.ReadAllText(Path.Combine(state, "run", "postgres.port")).Trim(), CultureInfo.InvariantCulture);
        var passFile = Path.Combine(state, "keys", "pgpass");

        // What the previous version left: rows naming data directories under the state, tables owned by postgres...
        var legacySql = "ALTER TABLE __ef_migrations_history OWNER TO postgres";
        if (shared != state)
        {
            legacySql += $"; UPDATE engines SET data_directory = replace(data_directory, '{shared}/engines/', '{state}/engines/')";
        }

        var altered = await Psql.RunAsync(port, "postgres", "piramid", passFile, legacySql);
        Assert.True(altered.ExitCode == 0, altered.Output);
        await platform.DownAsync();

        // ...a trust cluster, no passwords, a traversable state, and as root the cluster and engines inside it.
        var hba = Path.Combine(shared, "postgres", "data", "pg_hba.conf");
        await File.WriteAllTextAsync(hba, "local all all trust\nhost all all 127.0.0.1/32 trust\nhost all all ::1/128 trust\n");
        File.Delete(passFile);
        File.SetUnixFileMode(state, (UnixFileMode)0b111_001_001);
        if (shared != state)
        {
            await RunAsync("mv", Path.Combine(shared, "postgres"), Path.Combine(state, "postgres"));
            await RunAsync("mv", Path.Combine(shared, "engines"), Path.Combine(state, "engines"));
            File.Delete(Path.Combine(state, "shared-dir"));
        }

        await platform.UpAsync();

        Assert.Contains("securing the PostgreSQL cluster", platform.LastOutput, StringComparison.Ordinal);
        Assert.Equal(shared, platform.SharedDirectory);
        Assert.DoesNotContain("trust", await File.ReadAllTextAsync(Path.Combine(shared, "postgres", "data", "pg_hba.conf")), StringComparison.Ordinal);
        Assert.False(Directory.Exists(Path.Combine(state, "postgres")) && shared != state, "the cluster stayed in the state directory");
        Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute, File.GetUnixFileMode(state));

        using var empty = new TempDirectory("piramid-nopass");
        var noPasswords = empty.Combine("pgpass");
        await File.WriteAllTextAsync(noPasswords, string.Empty);
        File.SetUnixFileMode(noPasswords, UnixFileMode.UserRead | UnixFileMode.UserWrite);
        var refused = await Psql.RunAsync(port, "postgres", "postgres", noPasswords, "SELECT 1");
        Assert.Contains("no password supplied", refused.StandardError, StringComparison.Ordinal);
        var owners = await Psql.RunAsync(port, "piramid", "piramid", passFile,
            $"SELECT count(*) FILTER (WHERE tableowner <> 'piramid') || ',' || (SELECT count(*) FROM engines WHERE data_directory NOT LIKE '{shared}/engines/%') FROM pg_tables WHERE schemaname = 'public'");
        Assert.Equal("0,0", owners.StandardOutput);

        // The demo tenant's engine found its data where it moved.
        using var demo = platform.Tenant(platform.Local["demo_api_key"]!.GetValue<string>());
        await Eventually.SucceedsAsync(demo, "/v1/collections/wordnet", TimeSpan.FromSeconds(30));
        var count = await (await demo.PostAsJsonAsync("/v1/collections/wordnet/count", new { })).Content.ReadFromJsonAsync<JsonObject>();
        Assert.Equal(10_000, count!["count"]!.GetValue<long>());
    }

    private static async Task RunAsync(string file, params string[] args)
    {
        var start = new ProcessStartInfo(file) { RedirectStandardError = true };
        foreach (var arg in args)
        {
            start.ArgumentList.Add(arg);
        }

        using var process = Process.Start(start)!;
        var stderr = await process.StandardError.ReadToEndAsync();
        await process.WaitForExitAsync();
        Assert.True(process.ExitCode == 0, $"{file} {string.Join(' ', args)}: {stderr}");
    }
}
