using System.Net;
using Microsoft.EntityFrameworkCore;
using Piramid.ControlPlane.Data;
using Piramid.ControlPlane.Tests.Support;
using static Piramid.ControlPlane.Tests.Backups.BackupFixture;

namespace Piramid.ControlPlane.Tests.Backups;

/// <summary>
/// A whole-tenant restore to a time brings back the collections that existed then, including ones no backup holds,
/// and none that were gone; and the log after an in-place restore is archived as its own history (docs/design/backups.md,
/// "Collections in the archive").
/// </summary>
[Collection(PostgresCollection.Name)]
public sealed class PointInTimeCollectionsTests(PostgresFixture postgres)
{
    private const int Dimension = 8;

    [Fact]
    public async Task CollectionsCreatedAfterTheBackup_ComeBackWithTheirAcknowledgedPoints_AndDroppedOnesStayAbsent()
    {
        await using var f = await BackupFixture.StartAsync(postgres, "pitr-late", plan: "standard");
        await f.CreateCollectionAsync("docs", Dimension);
        await f.UpsertAsync("docs", 0, 50, Dimension, seed: 1);
        await f.BackupAsync();

        // After the backup: "late" is created and written, "gone" is created and dropped, "docs" (in the backup) is dropped.
        await f.CreateCollectionAsync("late", Dimension);
        await f.UpsertAsync("late", 0, 120, Dimension, seed: 2);
        await f.CreateCollectionAsync("gone", Dimension);
        await f.UpsertAsync("gone", 0, 10, Dimension, seed: 3);
        await WaitArchivedAsync(f, "late");
        await WaitArchivedAsync(f, "gone");

        await DeleteCollectionAsync(f, "gone");
        await DeleteCollectionAsync(f, "docs");
        var (lateHash, _) = await f.ContentHashAsync("late");
        var target = await WholeMillisecondPassedAsync();

        // After the target: more points in "late", then "late" is dropped too, before the archive has copied its log (the
        // seal interval is 5 s): the engine holds that log for the archiver, and the restore rebuilds "late" from it.
        await f.UpsertAsync("late", 120, 80, Dimension, seed: 4);
        await DeleteCollectionAsync(f, "late");

        var restore = await f.RunOperationAsync($"/v1/tenants/{f.Tenant}/restore", new { at = target });
        Assert.True(restore["state"]!.GetValue<string>() == "succeeded", restore.ToJsonString());

        Assert.Equal((lateHash, 120), await f.ContentHashAsync("late"));
        using var engine = f.Engine();
        await SendAsync(engine, HttpMethod.Get, "/v1/collections/gone", null, HttpStatusCode.NotFound);
        await SendAsync(engine, HttpMethod.Get, "/v1/collections/docs", null, HttpStatusCode.NotFound);
    }

    [Fact]
    public async Task InPlaceRestore_ThenMoreWrites_ARestoreToAfterThemHasThem_AndNotTheReplacedHistory()
    {
        await using var f = await BackupFixture.StartAsync(postgres, "pitr-timeline", plan: "standard");
        await f.CreateCollectionAsync("docs", Dimension);
        await f.UpsertAsync("docs", 0, 100, Dimension, seed: 1);
        await f.BackupAsync();
        var (baseHash, _) = await f.ContentHashAsync("docs");
        var beforeSecond = await WholeMillisecondPassedAsync();

        // Written, archived (a restore to a time archives the log first), then undone by that restore.
        await f.UpsertAsync("docs", 100, 50, Dimension, seed: 2);
        var undo = await f.RunOperationAsync($"/v1/tenants/{f.Tenant}/restore", new { at = beforeSecond });
        Assert.True(undo["state"]!.GetValue<string>() == "succeeded", undo.ToJsonString());
        Assert.Equal((baseHash, 100), await f.ContentHashAsync("docs"));

        // The log continues after the restored LSN: with the replaced history's segment names, were the id kept.
        await f.UpsertAsync("docs", 200, 30, Dimension, seed: 3);
        var (expected, _) = await f.ContentHashAsync("docs");
        var target = await WholeMillisecondPassedAsync();
        await f.UpsertAsync("docs", 300, 5, Dimension, seed: 4);

        var restore = await f.RunOperationAsync($"/v1/tenants/{f.Tenant}/restore", new { at = target });
        Assert.True(restore["state"]!.GetValue<string>() == "succeeded", restore.ToJsonString());
        Assert.Equal((expected, 130), await f.ContentHashAsync("docs"));
    }

    private static async Task DeleteCollectionAsync(BackupFixture f, string name)
    {
        using var engine = f.Engine();
        await SendAsync(engine, HttpMethod.Delete, $"/v1/collections/{name}", null, HttpStatusCode.NoContent);
    }

    // Append times are kept to the millisecond: a target that is a whole millisecond already over splits writes cleanly.
    private static async Task<DateTimeOffset> WholeMillisecondPassedAsync()
    {
        var target = DateTimeOffset.FromUnixTimeMilliseconds(DateTimeOffset.UtcNow.ToUnixTimeMilliseconds());
        while (DateTimeOffset.UtcNow < target + TimeSpan.FromMilliseconds(2))
        {
            await Task.Yield();
        }

        return target;
    }

    // The archiver records a collection's origin at its next pass (Backups:ArchiveInterval, 0.5 s here).
    private static async Task WaitArchivedAsync(BackupFixture f, string collection)
    {
        var deadline = DateTimeOffset.UtcNow + Patience;
        while (true)
        {
            await using (var scope = f.Host.App.Services.CreateAsyncScope())
            {
                var db = scope.ServiceProvider.GetRequiredService<ControlPlaneDbContext>();
                if (await db.WalArchiveCollections.AnyAsync(c => c.TenantId == f.Tenant && c.Collection == collection && c.ManifestSha256 != null && c.DroppedAt == null))
                {
                    return;
                }
            }

            Assert.True(DateTimeOffset.UtcNow < deadline, $"the archive never recorded '{collection}'");
            await Task.Delay(50);
        }
    }
}
