using Npgsql;
using Piramid.TestKit;
using Piramid.TestKit.Postgres;

namespace Piramid.ControlPlane.Tests.Support;

/// <summary>The test kit's PostgreSQL: it must start wherever a checkout and its temp folder live, and require passwords.</summary>
[System.Runtime.Versioning.SupportedOSPlatform("linux")]
public sealed class PostgresServerTests
{
    private const UnixFileMode OwnerOnly = UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute;

    [Fact]
    public async Task StartAsync_TempFolderUnderOwnerOnlyDirectories_ServesConnections_OnlyWithThePassword()
    {
        // Like a checkout in /root (0700) whose TMPDIR is below it: other users cannot traverse either.
        using var home = new TempDirectory("piramid-home");
        File.SetUnixFileMode(home.Path, OwnerOnly);
        var temp = Directory.CreateDirectory(home.Combine("tmp"), OwnerOnly).FullName;

        await using var server = await PostgresServer.StartAsync(temp);
        await using (var connection = new NpgsqlConnection(server.ConnectionString()))
        {
            await connection.OpenAsync();
            await using var command = new NpgsqlCommand("SELECT current_setting('password_encryption')", connection);
            Assert.Equal("scram-sha-256", await command.ExecuteScalarAsync());
        }

        Assert.Equal(OwnerOnly, File.GetUnixFileMode(home.Path)); // nothing above was opened up
        var withoutPassword = new NpgsqlConnectionStringBuilder(server.ConnectionString()) { Password = null, Pooling = false };
        await using var refused = new NpgsqlConnection(withoutPassword.ConnectionString);
        var error = await Assert.ThrowsAnyAsync<NpgsqlException>(() => refused.OpenAsync());
        Assert.Contains("password", error.Message, StringComparison.OrdinalIgnoreCase);
    }
}
