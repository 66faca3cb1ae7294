using Microsoft.EntityFrameworkCore;
using Piramid.ControlPlane.Tests.Support;
using static Piramid.ControlPlane.Tests.Backups.ArchiveTestSteps;

namespace Piramid.ControlPlane.Tests.Backups;

/// <summary>
/// A collection whose origin cannot be archived does not stop the tenant's archiving (docs/design/backups.md, "Collections
/// in the archive"): before, the failure aborted the whole pass, so no segment of any collection was archived and the
/// point-in-time window got holes once the engine pruned them. Real engine, real store refusing one key.
/// </summary>
[Collection(PostgresCollection.Name)]
public sealed class OriginFailureTests(PostgresFixture postgres)
{
    private const int Dimension = 8;

    [Fact]
    public async Task OneOriginRefusedByTheStore_SegmentsAreStillArchived_AnotherCollectionRestoresToATime_AndTheOriginIsRetried()
    {
        await using var f = await BackupFixture.StartAsync(postgres, "origin-fail", plan: "standard", store: PassesOnDemand());
        await f.CreateCollectionAsync("good", Dimension);
        await f.UpsertAsync("good", 0, 100, Dimension, seed: 1);
        await f.CreateCollectionAsync("bad", Dimension);
        await f.UpsertAsync("bad", 0, 20, Dimension, seed: 2);
        await f.BackupAsync();
        var good = await CollectionIdAsync(f, "good");
        var bad = await CollectionIdAsync(f, "bad");

        // The filesystem store cannot keep an object where a directory is: every put of bad's settings file is refused.
        var blocker = Path.Combine(f.StoreDirectory, "tenants", f.Tenant, "wal", bad, "manifest.bin");
        Directory.CreateDirectory(blocker);

        await f.UpsertAsync("good", 100, 50, Dimension, seed: 3);
        var expected = await f.ContentHashAsync("good");
        var target = await WholeMillisecondPassedAsync();
        await f.UpsertAsync("good", 150, 20, Dimension, seed: 4);

        Assert.True(await ArchivePassAsync(f) > 0, "the pass archived no segment");
        Assert.True(await WithDbAsync(f, db => db.WalArchive.AnyAsync(s => s.TenantId == f.Tenant && s.CollectionId == good)), "good's log was not archived");
        Assert.Null((await ArchiveRowAsync(f, bad)).ManifestSha256);
        Assert.Contains($"Archiving the origin or settings of collection bad ({bad})", f.Host.Logs.Text, StringComparison.Ordinal);

        var restore = await f.RunOperationAsync($"/v1/tenants/{f.Tenant}/restore", new { at = target, collections = new[] { "good" } });
        Assert.True(restore["state"]!.GetValue<string>() == "succeeded", restore.ToJsonString());
        Assert.Equal(expected, await f.ContentHashAsync("good"));

        // Once the store takes the key again, the next pass archives the origin.
        Directory.Delete(blocker);
        await ArchivePassAsync(f);
        Assert.NotNull((await ArchiveRowAsync(f, bad)).ManifestSha256);
    }
}
