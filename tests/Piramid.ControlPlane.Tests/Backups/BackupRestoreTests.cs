using System.Net;
using Piramid.Contracts.Problems;
using Piramid.ControlPlane.Tests.Support;
using static Piramid.ControlPlane.Tests.Backups.BackupFixture;

namespace Piramid.ControlPlane.Tests.Backups;

/// <summary>
/// Backups and restores end to end: real PostgreSQL, real engine processes, the filesystem store, the public routes
/// and the operations they start (issue 18, "Tests").
/// </summary>
[Collection(PostgresCollection.Name)]
public sealed class BackupRestoreTests(PostgresFixture postgres)
{
    private const int Dimension = 16;

    [Fact]
    public async Task DeletedCollection_RestoredFromBackup_IsByteForByteWhatItWas()
    {
        await using var f = await BackupFixture.StartAsync(postgres, "bk-deleted");
        await f.CreateCollectionAsync("docs", Dimension);
        await f.UpsertAsync("docs", 0, 2_000, Dimension, seed: 1);
        var before = await f.ContentHashAsync("docs");

        var backupId = await f.BackupAsync();
        var backup = await SendAsync(f.Admin, HttpMethod.Get, $"/v1/tenants/{f.Tenant}/backups/{backupId}", null, HttpStatusCode.OK);
        Assert.Equal("completed", backup["state"]!.GetValue<string>());
        Assert.Equal("docs", backup["collections"]![0]!["name"]!.GetValue<string>());
        Assert.True(backup["size_bytes"]!.GetValue<long>() > 2_000 * Dimension * 4, backup.ToJsonString());
        Assert.True(File.Exists(Path.Combine(f.StoreDirectory, "tenants", f.Tenant, "backups", backupId, "manifest.json")));
        var listed = await SendAsync(f.Admin, HttpMethod.Get, $"/v1/tenants/{f.Tenant}/backups", null, HttpStatusCode.OK);
        Assert.Equal(backupId, listed["backups"]![0]!["id"]!.GetValue<string>());

        using (var engine = f.Engine())
        {
            await SendAsync(engine, HttpMethod.Delete, "/v1/collections/docs", null, HttpStatusCode.NoContent);
        }

        var restore = await f.RunOperationAsync($"/v1/tenants/{f.Tenant}/restore", new { backup_id = backupId });
        Assert.True(restore["state"]!.GetValue<string>() == "succeeded", restore.ToJsonString());
        Assert.Equal(2_000, restore["result"]!["collections"]![0]!["points"]!.GetValue<long>());
        Assert.Equal(before, await f.ContentHashAsync("docs"));

        // Deleting the backup removes its objects and its row.
        await SendAsync(f.Admin, HttpMethod.Delete, $"/v1/tenants/{f.Tenant}/backups/{backupId}", null, HttpStatusCode.NoContent);
        var objects = Path.Combine(f.StoreDirectory, "tenants", f.Tenant, "backups", backupId);
        Assert.Empty(Directory.Exists(objects) ? Directory.EnumerateFiles(objects, "*", SearchOption.AllDirectories) : []);
        await SendAsync(f.Admin, HttpMethod.Get, $"/v1/tenants/{f.Tenant}/backups/{backupId}", null, HttpStatusCode.NotFound);
    }

    [Theory]
    [InlineData("tamper")]
    [InlineData("truncate")]
    public async Task DamagedBackupObject_FailsTheRestoreNamingIt_AndTheLiveDataKeepsServing(string damage)
    {
        await using var f = await BackupFixture.StartAsync(postgres, "bk-" + damage);
        await f.CreateCollectionAsync("docs", Dimension);
        await f.UpsertAsync("docs", 0, 1_000, Dimension, seed: 2);
        var backupId = await f.BackupAsync();
        await f.UpsertAsync("docs", 1_000, 100, Dimension, seed: 3);
        var live = await f.ContentHashAsync("docs");

        var checkpoint = Directory.EnumerateFiles(Path.Combine(f.StoreDirectory, "tenants", f.Tenant, "backups", backupId), "*.ckpt", SearchOption.AllDirectories)
            .Concat(Directory.EnumerateFiles(Path.Combine(f.StoreDirectory, "tenants", f.Tenant, "backups", backupId), "*.seg", SearchOption.AllDirectories))
            .First(p => new FileInfo(p).Length > 64);
        if (damage == "tamper")
        {
            var bytes = await File.ReadAllBytesAsync(checkpoint);
            bytes[bytes.Length / 2] ^= 0x40;
            await File.WriteAllBytesAsync(checkpoint, bytes);
        }
        else
        {
            await using var stream = new FileStream(checkpoint, FileMode.Open);
            stream.SetLength(stream.Length / 2);
        }

        var restore = await f.RunOperationAsync($"/v1/tenants/{f.Tenant}/restore", new { backup_id = backupId });
        Assert.Equal("failed", restore["state"]!.GetValue<string>());
        Assert.Equal(ProblemCatalog.BackupCorrupted.Type, restore["error"]!["type"]!.GetValue<string>());
        var name = Path.GetFileName(checkpoint);
        Assert.Contains(name, restore["error"]!["detail"]!.GetValue<string>(), StringComparison.Ordinal);
        Assert.EndsWith(name, restore["error"]!["object"]!.GetValue<string>(), StringComparison.Ordinal);
        Assert.Equal(live, await f.ContentHashAsync("docs"));
    }

    [Fact]
    public async Task RestoreRequests_ThatCannotBeMet_Are4xxNamingWhy_AndStartNothing()
    {
        await using var f = await BackupFixture.StartAsync(postgres, "bk-invalid");
        var path = $"/v1/tenants/{f.Tenant}/restore";
        var cases = new (object Body, HttpStatusCode Status, string Says)[]
        {
            (new { }, HttpStatusCode.BadRequest, "exactly one of"),
            (new { backup_id = "bk_x", lsn = 5 }, HttpStatusCode.BadRequest, "exactly one of"),
            (new { at = DateTimeOffset.UtcNow.AddMinutes(-5) }, HttpStatusCode.BadRequest, "no point-in-time recovery"),
            (new { backup_id = "bk_nosuch" }, HttpStatusCode.NotFound, "'backup_id' names backup 'bk_nosuch', which does not exist."),
            (new { backup_id = "bk_x", collections = new[] { "Bad Name" } }, HttpStatusCode.BadRequest, "'collections'"),
            (new { backup_id = "bk_x", rename = new Dictionary<string, string> { ["a"] = "a" } }, HttpStatusCode.BadRequest, "to itself"),
        };
        foreach (var (body, status, says) in cases)
        {
            var problem = await SendAsync(f.Admin, HttpMethod.Post, path, body, status);
            Assert.Contains(says, problem["detail"]!.GetValue<string>(), StringComparison.Ordinal);
        }

        await SendAsync(f.Admin, HttpMethod.Post, $"/v1/tenants/{f.Tenant}/backups", new { collections = new[] { "" } }, HttpStatusCode.BadRequest);
        var listed = await SendAsync(f.Admin, HttpMethod.Get, $"/v1/tenants/{f.Tenant}/backups", null, HttpStatusCode.OK);
        Assert.Empty(listed["backups"]!.AsArray());
    }
}
