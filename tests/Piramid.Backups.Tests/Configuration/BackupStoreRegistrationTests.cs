using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;
using Piramid.Backups.Configuration;
using Piramid.Backups.Stores;
using Piramid.Backups.Stores.Filesystem;
using Piramid.Backups.Stores.S3;
using Piramid.Backups.Tests.Stores;
using Piramid.TestKit;
using Piramid.TestKit.S3;

namespace Piramid.Backups.Tests.Configuration;

/// <summary><c>AddBackupStore</c>: the configured store, options refused at start naming the key, and the health check.</summary>
public sealed class BackupStoreRegistrationTests(MotoFixture moto) : IClassFixture<MotoFixture>, IDisposable
{
    private readonly TempDirectory _directory = new("piramid-backup-di");

    public void Dispose() => _directory.Dispose();

    [Fact]
    public async Task Filesystem_IsTheDefault_AndIsHealthy()
    {
        using var host = Build(new() { ["Backups:Directory"] = _directory.Combine("backups") });
        await host.StartAsync();

        var store = Assert.IsType<FilesystemBackupStore>(host.Services.GetRequiredService<IBackupStore>());
        Assert.Equal($"filesystem:{_directory.Combine("backups")}", store.Describe);
        var report = await host.Services.GetRequiredService<HealthCheckService>().CheckHealthAsync();
        Assert.Equal(HealthStatus.Healthy, report.Entries["backup-store"].Status);

        Directory.Delete(_directory.Combine("backups"), recursive: true); // the volume went away
        report = await host.Services.GetRequiredService<HealthCheckService>().CheckHealthAsync();
        Assert.Equal(HealthStatus.Unhealthy, report.Entries["backup-store"].Status);
        Assert.Contains(_directory.Combine("backups"), report.Entries["backup-store"].Description, StringComparison.Ordinal);
        await host.StopAsync();
    }

    [Fact]
    public async Task S3_AgainstMoto_IsHealthy_AndUnhealthyWhenTheBucketIsMissing()
    {
        var bucket = await moto.Server.CreateBucketAsync();
        using var host = Build(S3Settings(bucket));
        await host.StartAsync();

        var store = Assert.IsType<S3BackupStore>(host.Services.GetRequiredService<IBackupStore>());
        Assert.Equal($"s3://{bucket}/backups/", store.Describe);
        var blob = Blob.Create(1, 100);
        await store.PutAsync("a", blob.Stream(), 100, blob.Sha256Hex, null, default);
        var report = await host.Services.GetRequiredService<HealthCheckService>().CheckHealthAsync();
        Assert.Equal(HealthStatus.Healthy, report.Entries["backup-store"].Status);
        await host.StopAsync();

        using var missing = Build(S3Settings("no-such-bucket"));
        await missing.StartAsync();
        report = await missing.Services.GetRequiredService<HealthCheckService>().CheckHealthAsync();
        Assert.Equal(HealthStatus.Unhealthy, report.Entries["backup-store"].Status);
        await missing.StopAsync();
    }

    [Theory]
    [InlineData("Backups:Store", "tape", "'Backups:Store'")]
    [InlineData("Backups:Directory", "", "'Backups:Directory'")]
    [InlineData("Backups:S3:Bucket", "No_Such", "'Backups:S3:Bucket'")]
    [InlineData("Backups:S3:PartSizeBytes", "1024", "'Backups:S3:PartSizeBytes'")]
    [InlineData("Backups:S3:Prefix", "../x", "'Backups:S3:Prefix'")]
    [InlineData("Backups:S3:ServiceUrl", "ftp://x", "'Backups:S3:ServiceUrl'")]
    [InlineData("Backups:S3:SecretKey", "", "'Backups:S3:AccessKey'")]
    [InlineData("Backups:S3:MaxAttempts", "0", "'Backups:S3:MaxAttempts'")]
    public async Task InvalidOptions_FailTheStart_NamingTheKey(string key, string value, string named)
    {
        var settings = key.StartsWith("Backups:S3:", StringComparison.Ordinal) ? S3Settings("bucket") : new() { ["Backups:Directory"] = _directory.Path };
        settings[key] = value;
        using var host = Build(settings);

        var error = await Assert.ThrowsAsync<OptionsValidationException>(() => host.StartAsync());
        Assert.Contains(named, error.Message, StringComparison.Ordinal);
    }

    private Dictionary<string, string?> S3Settings(string bucket) => new()
    {
        ["Backups:Store"] = "s3",
        ["Backups:S3:ServiceUrl"] = moto.Server.ServiceUrl.ToString(),
        ["Backups:S3:Bucket"] = bucket,
        ["Backups:S3:Prefix"] = "backups",
        ["Backups:S3:AccessKey"] = MotoServer.AccessKey,
        ["Backups:S3:SecretKey"] = MotoServer.SecretKey,
        ["Backups:S3:ForcePathStyle"] = "true",
        ["Backups:S3:MaxAttempts"] = "1",
    };

    private static IHost Build(Dictionary<string, string?> settings)
    {
        var builder = Host.CreateApplicationBuilder();
        builder.Configuration.Sources.Clear();
        builder.Configuration.AddInMemoryCollection(settings);
        builder.Services.AddBackupStore(builder.Configuration);
        return builder.Build();
    }
}
