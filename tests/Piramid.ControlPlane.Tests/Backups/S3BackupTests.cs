using System.Net;
using System.Security.Cryptography;
using Microsoft.Extensions.DependencyInjection;
using Piramid.Backups.Stores;
using Piramid.Contracts.Problems;
using Piramid.ControlPlane.Backups;
using Piramid.ControlPlane.Tests.Support;
using Piramid.TestKit.S3;
using static Piramid.ControlPlane.Tests.Backups.BackupFixture;

namespace Piramid.ControlPlane.Tests.Backups;

/// <summary>The backup and restore tests against the S3 store, on moto_server on loopback.</summary>
[Collection(PostgresCollection.Name)]
public sealed class S3BackupTests(PostgresFixture postgres)
{
    private const int Dimension = 16;

    [Theory]
    [InlineData("tamper")]
    [InlineData("truncate")]
    public async Task OnS3_DeletedCollectionRestoresByteForByte_AndADamagedObjectIsRefusedNamingIt(string damage)
    {
        await using var moto = await MotoServer.StartAsync();
        var bucket = await moto.CreateBucketAsync();
        await using var f = await BackupFixture.StartAsync(postgres, "s3-" + damage, store: new Dictionary<string, string?>
        {
            ["Backups:Store"] = "s3",
            ["Backups:S3:ServiceUrl"] = moto.ServiceUrl.ToString(),
            ["Backups:S3:Bucket"] = bucket,
            ["Backups:S3:Prefix"] = "piramid",
            ["Backups:S3:AccessKey"] = MotoServer.AccessKey,
            ["Backups:S3:SecretKey"] = MotoServer.SecretKey,
            ["Backups:S3:ForcePathStyle"] = "true",
        });
        var store = f.Host.App.Services.GetRequiredService<IBackupStore>();
        Assert.StartsWith("s3://", store.Describe, StringComparison.Ordinal);
        await f.CreateCollectionAsync("docs", Dimension);
        await f.UpsertAsync("docs", 0, 1_500, Dimension, seed: 5);
        var before = await f.ContentHashAsync("docs");
        var backupId = await f.BackupAsync();

        using (var engine = f.Engine())
        {
            await SendAsync(engine, HttpMethod.Delete, "/v1/collections/docs", null, HttpStatusCode.NoContent);
        }

        var restored = await f.RunOperationAsync($"/v1/tenants/{f.Tenant}/restore", new { backup_id = backupId });
        Assert.True(restored["state"]!.GetValue<string>() == "succeeded", restored.ToJsonString());
        Assert.Equal(before, await f.ContentHashAsync("docs"));

        // Replace a checkpoint with other bytes (a store accepts them with their own hash): the manifest's hash refuses them.
        var prefix = BackupObjects.BackupPrefix(f.Tenant, backupId);
        var victim = await store.ListAsync(prefix, CancellationToken.None)
            .Where(o => !o.Key.EndsWith(BackupObjects.ManifestName, StringComparison.Ordinal)).OrderByDescending(o => o.Size).FirstAsync();
        byte[] bytes;
        await using (var original = await store.OpenReadAsync(victim.Key, victim.Sha256Hex!, CancellationToken.None))
        {
            using var copy = new MemoryStream();
            await original.CopyToAsync(copy);
            bytes = copy.ToArray();
        }

        bytes = damage == "tamper" ? [.. bytes[..(bytes.Length / 2)], (byte)(bytes[bytes.Length / 2] ^ 0x40), .. bytes[(bytes.Length / 2 + 1)..]] : bytes[..(bytes.Length / 2)];
        using (var content = new MemoryStream(bytes))
        {
            await store.PutAsync(victim.Key, content, bytes.Length, Convert.ToHexStringLower(SHA256.HashData(bytes)), null, CancellationToken.None);
        }

        await f.UpsertAsync("docs", 1_500, 10, Dimension, seed: 6);
        var live = await f.ContentHashAsync("docs");
        var failed = await f.RunOperationAsync($"/v1/tenants/{f.Tenant}/restore", new { backup_id = backupId });
        Assert.Equal("failed", failed["state"]!.GetValue<string>());
        Assert.Equal(ProblemCatalog.BackupCorrupted.Type, failed["error"]!["type"]!.GetValue<string>());
        Assert.Equal(victim.Key, failed["error"]!["object"]!.GetValue<string>());
        Assert.Equal(live, await f.ContentHashAsync("docs"));
    }
}
