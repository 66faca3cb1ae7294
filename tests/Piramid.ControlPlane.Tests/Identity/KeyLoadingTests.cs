using Piramid.ControlPlane.Hosting;
using Piramid.ControlPlane.Identity;
using Piramid.ControlPlane.Tests.Support;
using Piramid.TestKit;

namespace Piramid.ControlPlane.Tests.Identity;

/// <summary>Registration does no I/O: the key file is read or created when the host starts.</summary>
[Collection(PostgresCollection.Name)]
public sealed class KeyLoadingTests(PostgresFixture postgres)
{
    [Fact]
    public async Task Build_LeavesTheKeyFileAlone_StartCreatesIt()
    {
        var (_, connectionString) = await postgres.CreateMigratedDatabaseAsync();
        using var directory = new TempDirectory();
        var keyFile = directory.Combine("keys", "identity.json");
        await using var app = Build(connectionString, keyFile);
        Assert.False(Directory.Exists(Path.GetDirectoryName(keyFile)), "building the app touched the key file's directory");

        await app.StartAsync();
        Assert.True(File.Exists(keyFile));
        await app.StopAsync();
    }

    [Fact]
    public async Task ABadKeyFile_FailsTheStart_NotTheBuild()
    {
        var (_, connectionString) = await postgres.CreateMigratedDatabaseAsync();
        using var directory = new TempDirectory();
        var keyFile = directory.Combine("identity.json");
        await File.WriteAllTextAsync(keyFile, "not json");
        await using var app = Build(connectionString, keyFile);
        var error = await Assert.ThrowsAsync<InvalidOperationException>(() => app.StartAsync());
        Assert.Contains("Identity:SigningKeyFile", error.Message, StringComparison.Ordinal);
    }

    // The identity composition as Program.cs adds it (AddControlPlaneIdentity), on its own.
    private static WebApplication Build(string connectionString, string keyFile)
    {
        var builder = WebApplication.CreateBuilder(new WebApplicationOptions { EnvironmentName = "Testing" });
        builder.WebHost.UseUrls($"http://127.0.0.1:{LoopbackPort.GetFree()}");
        builder.Logging.SetMinimumLevel(LogLevel.Warning);
        builder.Configuration.AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["ConnectionStrings:ControlPlane"] = connectionString,
            ["Identity:Issuer"] = "http://127.0.0.1:1/",
            ["Identity:SigningKeyFile"] = keyFile,
        });
        builder.Services.AddSingleton(TimeProvider.System);
        builder.AddControlPlaneDatabase();
        builder.AddControlPlaneIdentity();
        var app = builder.Build();
        return app;
    }
}
