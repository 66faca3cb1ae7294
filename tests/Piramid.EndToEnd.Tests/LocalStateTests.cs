using System.Globalization;
using Piramid.EndToEnd.Tests.Support;
using Piramid.TestKit;

namespace Piramid.EndToEnd.Tests;

/// <summary>What <c>./piramid up</c> leaves on disk and in PostgreSQL: owner-only files, passwords, a least-privilege role.</summary>
[Collection(PlatformCollection.Name)]
public sealed class LocalStateTests(LocalPlatform platform)
{
    private const UnixFileMode GroupOrOther =
        UnixFileMode.GroupRead | UnixFileMode.GroupWrite | UnixFileMode.GroupExecute |
        UnixFileMode.OtherRead | UnixFileMode.OtherWrite | UnixFileMode.OtherExecute;

    private int PostgresPort => int.Parse(File.ReadAllText(Path.Combine(platform.State, "run", "postgres.port")).Trim(), CultureInfo.InvariantCulture);

    private string PassFile => Path.Combine(platform.State, "keys", "pgpass");

    [Fact]
    public void Up_CreatesEverythingUnderTheStateDirectory_OwnerOnly()
    {
        var exposed = OpenToOthers(platform.State).ToList();
        Assert.True(exposed.Count == 0, "group/other permissions on: " + string.Join(", ", exposed));
        Assert.True(File.Exists(Path.Combine(platform.State, "logs", "control-plane.log")), "the walk must have covered the logs");
    }

    [Fact]
    public void Up_AsRoot_KeepsTheClusterOwnerOnly_InATraversableDirectoryOutsideTheState()
    {
        var shared = platform.SharedDirectory;
        if (Environment.UserName != "root")
        {
            Assert.Equal(platform.State, shared); // an ordinary user keeps everything in the state directory
            return;
        }

        // Traversable, not listable: postgres and engine uids pass through to their own 0700 directories.
        Assert.StartsWith("/var/lib/piramid/", shared, StringComparison.Ordinal);
        Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute | UnixFileMode.GroupExecute | UnixFileMode.OtherExecute,
            File.GetUnixFileMode(shared));
        var exposed = OpenToOthers(Path.Combine(shared, "postgres")).ToList();
        Assert.True(exposed.Count == 0, "group/other permissions on: " + string.Join(", ", exposed));
        Assert.True(File.Exists(Path.Combine(shared, "postgres", "data", "PG_VERSION")));
    }

    [Fact]
    public async Task Postgres_RefusesEveryRole_WithoutThePassword()
    {
        using var directory = new TempDirectory("piramid-nopass");
        var noPasswords = directory.Combine("pgpass");
        await File.WriteAllTextAsync(noPasswords, string.Empty);
        File.SetUnixFileMode(noPasswords, UnixFileMode.UserRead | UnixFileMode.UserWrite);
        foreach (var (user, database) in new[] { ("postgres", "postgres"), ("piramid", "piramid") })
        {
            var result = await Psql.RunAsync(PostgresPort, user, database, noPasswords, "SELECT 1");
            Assert.True(result.ExitCode != 0, $"{user} connected without a password: {result.Output}");
            Assert.Contains("no password supplied", result.StandardError, StringComparison.Ordinal);
        }
    }

    [Fact]
    public async Task ControlPlane_ConnectsAsARole_ThatOwnsOnlyItsDatabase()
    {
        // The running control plane's own connection string names the role (and no password: it reads the pgpass file).
        var environment = (await File.ReadAllTextAsync($"/proc/{platform.ServicePid("control-plane")}/environ")).Split('\0');
        var connection = Assert.Single(environment, e => e.StartsWith("ConnectionStrings__ControlPlane=", StringComparison.Ordinal));
        Assert.Contains("Username=piramid;", connection, StringComparison.Ordinal);
        Assert.DoesNotContain("Password=", connection, StringComparison.OrdinalIgnoreCase);

        var role = await Psql.RunAsync(PostgresPort, "piramid", "piramid", PassFile,
            "SELECT rolsuper, rolcreaterole, rolcreatedb, rolbypassrls FROM pg_roles WHERE rolname = current_user");
        Assert.True(role.ExitCode == 0, role.Output);
        Assert.Equal("f|f|f|f", role.StandardOutput);

        var owner = await Psql.RunAsync(PostgresPort, "piramid", "piramid", PassFile,
            "SELECT pg_get_userbyid(datdba) || ',' || (SELECT count(*) FROM pg_tables WHERE schemaname = 'public' AND tableowner <> 'piramid') FROM pg_database WHERE datname = 'piramid'");
        Assert.Equal("piramid,0", owner.StandardOutput);

        var createRole = await Psql.RunAsync(PostgresPort, "piramid", "piramid", PassFile, "CREATE ROLE intruder LOGIN");
        Assert.Contains("permission denied to create role", createRole.StandardError, StringComparison.Ordinal);
        var createDatabase = await Psql.RunAsync(PostgresPort, "piramid", "piramid", PassFile, "CREATE DATABASE intruder");
        Assert.Contains("permission denied to create database", createDatabase.StandardError, StringComparison.Ordinal);
        var otherDatabase = await Psql.RunAsync(PostgresPort, "piramid", "postgres", PassFile, "SELECT 1");
        Assert.Contains("permission denied for database \"postgres\"", otherDatabase.StandardError, StringComparison.Ordinal);
    }

    private static IEnumerable<string> OpenToOthers(string root)
    {
        if ((File.GetUnixFileMode(root) & GroupOrOther) != 0)
        {
            yield return root;
        }

        foreach (var entry in new DirectoryInfo(root).EnumerateFileSystemInfos("*", new EnumerationOptions { RecurseSubdirectories = true, AttributesToSkip = 0 }))
        {
            if (entry.LinkTarget is null && (entry.UnixFileMode & GroupOrOther) != 0)
            {
                yield return $"{entry.FullName} ({Convert.ToString((int)entry.UnixFileMode, 8)})";
            }
        }
    }
}
