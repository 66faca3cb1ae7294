using System.Net;
using Piramid.ControlPlane.Tests.Support;
using static Piramid.ControlPlane.Tests.Backups.ArchiveTestSteps;
using static Piramid.ControlPlane.Tests.Backups.BackupFixture;

namespace Piramid.ControlPlane.Tests.Backups;

/// <summary>
/// A PATCH of <c>index.ef</c> changes only the collection's settings file, never the log (docs/design/backups.md, "Settings
/// versions"): the archiver archives each new version with the time the engine wrote it, and a restore to a time stages
/// the version in force then, for a collection in the base backup and for one rebuilt from the archive alone. Before,
/// a restore to a time after the PATCH came back with the base's (or origin's) old ef.
/// </summary>
[Collection(PostgresCollection.Name)]
public sealed class SettingsVersionTests(PostgresFixture postgres)
{
    private const int Dimension = 8;

    [Fact]
    public async Task PatchedEf_IsRestored_ByBackupAndToATimeAfterIt_AndTheOldEfToATimeBefore()
    {
        await using var f = await BackupFixture.StartAsync(postgres, "settings-ef", plan: "standard", store: PassesOnDemand());
        await CreateHnswAsync(f, "docs");
        await f.UpsertAsync("docs", 0, 50, Dimension, seed: 1);
        await f.BackupAsync();
        await CreateHnswAsync(f, "late"); // in no backup: rebuilt from its archived origin
        await f.UpsertAsync("late", 0, 30, Dimension, seed: 2);
        await ArchivePassAsync(f);
        var beforeHashes = (await f.ContentHashAsync("docs"), await f.ContentHashAsync("late"));
        var before = await WholeMillisecondPassedAsync();

        await PatchEfAsync(f, "docs", 128);
        await PatchEfAsync(f, "late", 200);
        await f.UpsertAsync("docs", 50, 20, Dimension, seed: 3);
        await ArchivePassAsync(f);
        var afterHashes = (await f.ContentHashAsync("docs"), await f.ContentHashAsync("late"));
        var after = await WholeMillisecondPassedAsync();
        await f.UpsertAsync("docs", 70, 10, Dimension, seed: 4);
        var backupAfter = await f.BackupAsync();

        await RestoreAsync(f, new { at = after });
        Assert.Equal(afterHashes, (await f.ContentHashAsync("docs"), await f.ContentHashAsync("late")));
        Assert.Equal((128, 200), (await EfAsync(f, "docs"), await EfAsync(f, "late")));

        await RestoreAsync(f, new { at = before });
        Assert.Equal(beforeHashes, (await f.ContentHashAsync("docs"), await f.ContentHashAsync("late")));
        Assert.Equal((64, 64), (await EfAsync(f, "docs"), await EfAsync(f, "late")));

        await RestoreAsync(f, new { backup_id = backupAfter, collections = new[] { "docs" } });
        Assert.Equal(128, await EfAsync(f, "docs"));
    }

    private static async Task CreateHnswAsync(BackupFixture f, string name)
    {
        using var engine = f.Engine();
        await SendAsync(engine, HttpMethod.Put, $"/v1/collections/{name}", new { dimension = Dimension, metric = "cosine", index = new { type = "hnsw", ef = 64 } }, HttpStatusCode.Created);
    }

    private static async Task PatchEfAsync(BackupFixture f, string name, int ef)
    {
        using var engine = f.Engine();
        await SendAsync(engine, HttpMethod.Patch, $"/v1/collections/{name}", new { index = new { ef } }, HttpStatusCode.OK);
    }

    private static async Task<int> EfAsync(BackupFixture f, string name)
    {
        using var engine = f.Engine();
        return (await SendAsync(engine, HttpMethod.Get, $"/v1/collections/{name}", null, HttpStatusCode.OK))["index"]!["ef"]!.GetValue<int>();
    }

    private static async Task RestoreAsync(BackupFixture f, object body)
    {
        var restore = await f.RunOperationAsync($"/v1/tenants/{f.Tenant}/restore", body);
        Assert.True(restore["state"]!.GetValue<string>() == "succeeded", restore.ToJsonString());
    }
}
