using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using Piramid.Contracts.Problems;
using Piramid.ControlPlane.Tests.Support;
using static Piramid.ControlPlane.Tests.Backups.ArchiveTestSteps;
using static Piramid.ControlPlane.Tests.Backups.BackupFixture;

namespace Piramid.ControlPlane.Tests.Backups;

/// <summary>
/// A collection no backup holds, whose origin was archived after writes (it lived on a plan without a recovery window, so
/// its log from LSN 1 was pruned), can be restored only from its archived checkpoint: a restore to a time before that
/// checkpoint was copied is refused with a 400 naming the time and the earliest restorable point, and changes nothing
/// (before, it used the checkpoint anyway and brought back writes made after the target); a later time restores exactly.
/// </summary>
[Collection(PostgresCollection.Name)]
public sealed class OriginCoverageTests(PostgresFixture postgres)
{
    private const int Dimension = 8;

    [Fact]
    public async Task RestoreToATimeBeforeTheArchivedCheckpoint_Is400NamingTheEarliestPoint_AndAfterItRestoresExactly()
    {
        await using var f = await BackupFixture.StartAsync(postgres, "origin-late", plan: "free", store: PassesOnDemand());
        await f.CreateCollectionAsync("other", Dimension);
        await f.UpsertAsync("other", 0, 10, Dimension, seed: 1);
        await f.BackupAsync();

        // "docs" is written on the free plan (no window): each clean stop checkpoints and prunes the log the one before covers.
        await f.CreateCollectionAsync("docs", Dimension);
        await f.UpsertAsync("docs", 0, 50, Dimension, seed: 2);
        var early = await WholeMillisecondPassedAsync();
        await f.UpsertAsync("docs", 50, 50, Dimension, seed: 3);
        await RestartEngineAsync(f);
        await f.UpsertAsync("docs", 100, 20, Dimension, seed: 4);
        await SendAsync(f.Admin, HttpMethod.Patch, $"/v1/tenants/{f.Tenant}", new { plan = "standard" }, HttpStatusCode.OK);

        // The plan gains a window: the first pass archives the origin, a checkpoint holding every write so far.
        await ArchivePassAsync(f);
        var row = await ArchiveRowAsync(f, await CollectionIdAsync(f, "docs"));
        Assert.NotNull(row.CheckpointFile);
        Assert.NotNull(row.OriginAt);
        await f.UpsertAsync("docs", 120, 20, Dimension, seed: 5);
        var expected = await f.ContentHashAsync("docs");
        var late = await WholeMillisecondPassedAsync();
        await f.UpsertAsync("docs", 140, 10, Dimension, seed: 6);
        var current = await f.ContentHashAsync("docs");
        var operations = await OperationCountAsync(f);

        using (var refused = await f.Admin.PostAsJsonAsync(new Uri($"/v1/tenants/{f.Tenant}/restore", UriKind.Relative), new { at = early }))
        {
            var problem = await refused.Content.ReadFromJsonAsync<JsonObject>();
            Assert.True(refused.StatusCode == HttpStatusCode.BadRequest, $"{(int)refused.StatusCode} {problem}");
            Assert.Equal("application/problem+json", refused.Content.Headers.ContentType?.MediaType);
            Assert.Equal(ProblemCatalog.InvalidRequest.Type, problem!["type"]!.GetValue<string>());
            var detail = problem["detail"]!.GetValue<string>();
            Assert.Contains("'at'", detail, StringComparison.Ordinal);
            Assert.Contains("'docs'", detail, StringComparison.Ordinal);
            Assert.Contains($"earliest restorable point for 'docs' is {row.OriginAt!.Value:O}", detail, StringComparison.Ordinal);
        }

        Assert.Equal(operations, await OperationCountAsync(f));
        Assert.Equal(current, await f.ContentHashAsync("docs"));

        var restore = await f.RunOperationAsync($"/v1/tenants/{f.Tenant}/restore", new { at = late });
        Assert.True(restore["state"]!.GetValue<string>() == "succeeded", restore.ToJsonString());
        Assert.Equal(expected, await f.ContentHashAsync("docs"));
        Assert.Equal(140, expected.Count);
    }
}
