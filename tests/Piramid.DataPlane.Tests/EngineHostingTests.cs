using System.Security.Cryptography;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using Piramid.DataPlane.Hosting;
using Piramid.DataPlane.Security;
using Piramid.Engine;
using Piramid.Engine.Crypto;
using Piramid.KeyWrapping;
using Piramid.TestKit;

namespace Piramid.DataPlane.Tests;

/// <summary>
/// The engine's hosting in process: registering it touches no file; the options are validated and the engine opened
/// when the host starts (so a failure is a start failure with the configuration key named); stopping the host closes
/// the engine and releases its data directory.
/// </summary>
public sealed class EngineHostingTests : IDisposable
{
    private const string Tenant = "t-hosting";
    private readonly TempDirectory _temp = new();

    public void Dispose() => _temp.Dispose();

    [Fact]
    public async Task AddEngine_TouchesNoFile_AndAMissingKeyFileFailsTheStartNamingTheKey()
    {
        var builder = Builder(keyFile: Path.Combine(_temp.Path, "missing.keys"));
        builder.AddEngine();
        await using var app = builder.Build();

        Assert.False(Directory.Exists(DataDirectory));
        var e = await Assert.ThrowsAsync<EngineStartException>(() => app.StartAsync());
        Assert.Contains("Engine:KeyFile", EngineHosting.DescribeStartFailure(e), StringComparison.Ordinal);
        Assert.False(Directory.Exists(DataDirectory));
    }

    [Fact]
    public async Task Start_OpensTheEngine_Stop_ClosesItAndReleasesTheDirectory()
    {
        var keyFile = WriteKeyFile(RandomNumberGenerator.GetBytes(32));
        var builder = Builder(keyFile);
        builder.AddEngine();
        builder.AddInternalAuth();
        var app = builder.Build();
        app.MapAdoptionChallenge(); // as Program maps it: nothing resolved at mapping time may need the open engine
        app.UseInternalAuth();
        Assert.False(Directory.Exists(DataDirectory));

        await app.StartAsync();
        var engine = app.Services.GetRequiredService<VectorEngine>();
        Assert.True(Directory.Exists(DataDirectory));
        Assert.Throws<DataDirectoryLockedException>(() => VectorEngine.Open(new EngineOptions { DataDirectory = DataDirectory }, DataKey.FromBytes(EngineKeyFile.Read(keyFile).DataKey)));

        await app.StopAsync();
        await app.DisposeAsync();
        await using var reopened = VectorEngine.Open(new EngineOptions { DataDirectory = DataDirectory }, DataKey.FromBytes(EngineKeyFile.Read(keyFile).DataKey));
        Assert.Empty(reopened.List());
        Assert.NotNull(engine);
    }

    [Theory]
    [InlineData("Durability", "batch:5s", "'Engine:Durability'")]
    [InlineData("WalSegmentBytes", "10", "WalSegmentBytes")]
    [InlineData("TenantId", "", "TenantId")]
    public async Task InvalidOption_FailsTheStartNamingIt(string key, string value, string named)
    {
        var builder = Builder(keyFile: Path.Combine(_temp.Path, "unused.keys"));
        builder.Configuration.AddInMemoryCollection([new($"Engine:{key}", value)]);
        builder.AddEngine();
        await using var app = builder.Build();

        var e = await Assert.ThrowsAsync<OptionsValidationException>(() => app.StartAsync());
        var reason = EngineHosting.DescribeStartFailure(e);
        Assert.NotNull(reason);
        Assert.Contains(named, reason, StringComparison.Ordinal);
        Assert.False(Directory.Exists(DataDirectory));
    }

    private string DataDirectory => Path.Combine(_temp.Path, "data");

    private WebApplicationBuilder Builder(string keyFile)
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        builder.Configuration.AddInMemoryCollection(
        [
            new("Engine:DataDirectory", DataDirectory),
            new("Engine:TenantId", Tenant),
            new("Engine:KeyFile", keyFile),
        ]);
        return builder;
    }

    private string WriteKeyFile(byte[] dataKey)
    {
        var path = Path.Combine(_temp.Path, "engine.keys");
        var options = new FileStreamOptions { Mode = FileMode.CreateNew, Access = FileAccess.Write };
        if (!OperatingSystem.IsWindows())
        {
            options.UnixCreateMode = UnixFileMode.UserRead | UnixFileMode.UserWrite; // the engine refuses a key file others can read
        }

        using var file = new FileStream(path, options);
        file.Write(EngineKeyFile.Format(Tenant, dataKey, RandomNumberGenerator.GetBytes(EngineKeyFile.MinSecretBytes)));
        return path;
    }
}
