using System.Net;
using Piramid.ControlPlane.Identity;
using Piramid.ControlPlane.Tests.Support;
using Piramid.TestKit;

namespace Piramid.ControlPlane.Tests.Identity;

[Collection(PostgresCollection.Name)]
public sealed class SigningKeyPersistenceTests(PostgresFixture postgres)
{
    [Fact]
    public async Task Token_IssuedBeforeRestart_StillValidAfterRestartOnTheSameKeyFile()
    {
        var (_, connectionString) = await postgres.CreateMigratedDatabaseAsync();
        using var keys = new TempDirectory();
        var keyFile = keys.Combine("secrets", "identity-keys.json");
        string token;
        Uri issuer;
        await using (var first = await IdentityTestHost.StartAsync(connectionString, keyFile))
        {
            var admin = (await first.WithBootstrapperAsync(b => b.EnsureBootstrapOperatorAsync()))!;
            token = await first.GetAccessTokenAsync(admin);
            issuer = first.Issuer;
        }

        Assert.True(File.Exists(keyFile));
        if (!OperatingSystem.IsWindows())
        {
            Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(keyFile));
        }

        var keyFileBytes = await File.ReadAllBytesAsync(keyFile);
        await using (var second = await IdentityTestHost.StartAsync(connectionString, keyFile, issuer))
        {
            Assert.Equal(HttpStatusCode.OK, await second.GetStatusAsync(IdentityTestHost.AdminProbe, token));
            var result = await JwksValidator.ValidateAsync(second, token);
            Assert.True(result.IsValid, result.Exception?.ToString());
        }

        Assert.Equal(keyFileBytes, await File.ReadAllBytesAsync(keyFile));

        // Control: a host with a fresh key file rejects the same token, so the pass above is due to the persisted key.
        await using var other = await IdentityTestHost.StartAsync(connectionString, keys.Combine("other-keys.json"), issuer);
        Assert.Equal(HttpStatusCode.Unauthorized, await other.GetStatusAsync(IdentityTestHost.AdminProbe, token));
        Assert.False((await JwksValidator.ValidateAsync(other, token)).IsValid);
    }

    [Fact]
    public void LoadOrCreate_CreatesOnce_ThenLoadsTheSameKey()
    {
        using var directory = new TempDirectory();
        var path = directory.Combine("keys.json");

        using var created = IdentityKeys.LoadOrCreate(path);
        using var loaded = IdentityKeys.LoadOrCreate(path);

        Assert.True(created.Created);
        Assert.False(loaded.Created);
        Assert.Equal(created.SigningKey.KeyId, loaded.SigningKey.KeyId);
        Assert.Equal(created.EncryptionKey.Key, loaded.EncryptionKey.Key);
        Assert.Equal(32, loaded.EncryptionKey.Key.Length);
    }

    [Fact]
    public void LoadOrCreate_GarbageFile_FailsNamingTheConfigurationKey()
    {
        using var directory = new TempDirectory();
        var path = directory.Combine("keys.json");
        File.WriteAllText(path, "not json");

        var error = Assert.Throws<InvalidOperationException>(() => IdentityKeys.LoadOrCreate(path));
        Assert.Contains("Identity:SigningKeyFile", error.Message, StringComparison.Ordinal);
    }
}
