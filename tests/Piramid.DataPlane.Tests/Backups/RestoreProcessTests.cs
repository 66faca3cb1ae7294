using System.Net;
using Piramid.Contracts.Backups;
using Piramid.Contracts.Identity;
using Piramid.DataPlane.Tests.Support;

namespace Piramid.DataPlane.Tests.Backups;

/// <summary>Snapshots and restores on the real engine process, over HTTP, including a kill at every step of apply.</summary>
public sealed class RestoreProcessTests
{
    private const string AbortVariable = "PIRAMID_TEST_RESTORE_ABORT_AT";

    [Fact]
    public async Task DeletedCollection_RestoredFromSnapshot_ReturnsEveryPointByteForByte_AndStaysAfterAKill()
    {
        await using var host = new EngineTestHost();
        var engine = await host.StartAsync("always");
        using var http = engine.CreateClient();
        using var admin = engine.CreateClient(Roles.PlatformAdmin, "control-plane");
        await http.CreateCollectionAsync("docs", 8, "cosine", index: "hnsw");
        var random = new Random(11);
        for (var batch = 0; batch < 6; batch++)
        {
            var points = Enumerable.Range(batch * 100, 100).Select(i => new
            {
                id = $"d{i}",
                vector = Enumerable.Range(0, 8).Select(_ => (float)(random.NextDouble() * 2 - 1)).ToArray(),
                metadata = new { genre = $"g{i % 7}", year = 1950 + (i % 70), note = $"ünïcode-{i}", score = random.NextDouble() },
            });
            await http.OkAsync(HttpMethod.Post, "/v1/collections/docs/points", new { points });
        }

        var before = await BackupCalls.ContentHashAsync(http, "docs");
        var (_, files) = await BackupCalls.SnapshotAsync(admin, "docs");
        Assert.Equal(HttpStatusCode.NoContent, (await http.DeleteAsync("/v1/collections/docs")).StatusCode);

        var restore = await BackupCalls.StageAsync(admin, files);
        var applied = await admin.OkAsync(HttpMethod.Post, InternalBackupRoutes.Apply(restore), new { });
        Assert.Equal(600, applied["collections"]![0]!["points"]!.GetValue<long>());
        Assert.Equal(before, await BackupCalls.ContentHashAsync(http, "docs"));

        // Durable before it serves: a SIGKILL right after the answer loses nothing of it.
        engine.Kill();
        var restarted = await host.StartAsync("always");
        using var again = restarted.CreateClient();
        Assert.Equal(before, await BackupCalls.ContentHashAsync(again, "docs"));
    }

    [Theory]
    [InlineData("verified", false)]
    [InlineData("checkpoint-loaded", false)]
    [InlineData("replayed", false)]
    [InlineData("checkpoint-written", false)]
    [InlineData("built", false)]
    [InlineData("switching", false)]
    [InlineData("switched", true)]
    public async Task KillDuringApply_LeavesThePreviousDataServing_UntilTheSwitch(string step, bool restoredAfter)
    {
        await using var host = new EngineTestHost();
        var engine = await host.StartAsync("always", new Dictionary<string, string> { [AbortVariable] = step });
        using var http = engine.CreateClient();
        using var admin = engine.CreateClient(Roles.PlatformAdmin, "control-plane");
        await http.CreateCollectionAsync("docs", 4);
        await http.OkAsync(HttpMethod.Post, "/v1/collections/docs/points", new
        {
            points = Enumerable.Range(0, 50).Select(i => new { id = $"p{i}", vector = new[] { i, 1f, 2f, 3f }, metadata = new { v = 1 } }),
        });
        var snapshotHash = await BackupCalls.ContentHashAsync(http, "docs");
        var (_, files) = await BackupCalls.SnapshotAsync(admin);
        await http.OkAsync(HttpMethod.Post, "/v1/collections/docs/points", new
        {
            points = Enumerable.Range(25, 50).Select(i => new { id = $"p{i}", vector = new[] { i, 9f, 9f, 9f }, metadata = new { v = 2 } }),
        });
        await http.OkAsync(HttpMethod.Post, "/v1/collections/docs/points/delete", new { ids = new[] { "p0", "p1" } });
        var liveHash = await BackupCalls.ContentHashAsync(http, "docs");

        var restore = await BackupCalls.StageAsync(admin, files);
        await Assert.ThrowsAnyAsync<HttpRequestException>(() => admin.SendRawAsync(HttpMethod.Post, InternalBackupRoutes.Apply(restore), "{}"));
        Assert.NotEqual(0, await engine.WaitForExitAsync(TimeSpan.FromSeconds(30)));

        var restarted = await host.StartAsync("always");
        using var after = restarted.CreateClient();
        Assert.Equal(restoredAfter ? snapshotHash : liveHash, await BackupCalls.ContentHashAsync(after, "docs"));
        Assert.Empty(Directory.GetDirectories(host.DataDirectory, ".restore-*"));
        var listed = await after.OkAsync(HttpMethod.Get, "/v1/collections");
        Assert.Single(listed["collections"]!.AsArray());
    }

    /// <summary>
    /// A restore of several collections switches them as a set: killed before the commit none switched, killed after
    /// the first collection moved in the restart finishes the others (before the commit journal the first stayed
    /// restored and the second kept its live data: a tenant served a mix of two points in time).
    /// </summary>
    [Theory]
    [InlineData("switching", false)]
    [InlineData("switched", true)]
    public async Task KillDuringTheSwitchOfSeveralCollections_RestoresAllOrNone(string step, bool restoredAfter)
    {
        await using var host = new EngineTestHost();
        var engine = await host.StartAsync("always", new Dictionary<string, string> { [AbortVariable] = step });
        using var http = engine.CreateClient();
        using var admin = engine.CreateClient(Roles.PlatformAdmin, "control-plane");
        string[] names = ["alpha", "beta", "gamma"];
        foreach (var name in names)
        {
            await http.CreateCollectionAsync(name, 4);
            await http.OkAsync(HttpMethod.Post, $"/v1/collections/{name}/points", new
            {
                points = Enumerable.Range(0, 40).Select(i => new { id = $"p{i}", vector = new[] { i, 1f, 2f, 3f }, metadata = new { v = 1 } }),
            });
        }

        var snapshot = new Dictionary<string, string>();
        foreach (var name in names)
        {
            snapshot[name] = await BackupCalls.ContentHashAsync(http, name);
        }

        var (_, files) = await BackupCalls.SnapshotAsync(admin);
        var live = new Dictionary<string, string>();
        foreach (var name in names)
        {
            await http.OkAsync(HttpMethod.Post, $"/v1/collections/{name}/points", new
            {
                points = Enumerable.Range(20, 40).Select(i => new { id = $"p{i}", vector = new[] { i, 9f, 9f, 9f }, metadata = new { v = 2 } }),
            });
            live[name] = await BackupCalls.ContentHashAsync(http, name);
            Assert.NotEqual(snapshot[name], live[name]);
        }

        var restore = await BackupCalls.StageAsync(admin, files);
        await Assert.ThrowsAnyAsync<HttpRequestException>(() => admin.SendRawAsync(HttpMethod.Post, InternalBackupRoutes.Apply(restore), "{}"));
        Assert.NotEqual(0, await engine.WaitForExitAsync(TimeSpan.FromSeconds(30)));

        var restarted = await host.StartAsync("always");
        using var after = restarted.CreateClient();
        foreach (var name in names)
        {
            Assert.True((restoredAfter ? snapshot[name] : live[name]) == await BackupCalls.ContentHashAsync(after, name), $"{name} after a kill at '{step}'");
        }

        Assert.Empty(Directory.GetDirectories(host.DataDirectory, ".restore-*"));
        var listed = await after.OkAsync(HttpMethod.Get, "/v1/collections");
        Assert.Equal(names.Length, listed["collections"]!.AsArray().Count);
    }

    [Fact]
    public async Task StagedFile_WithAWrongHash_Is400NamingThePath()
    {
        await using var host = new EngineTestHost();
        var engine = await host.StartAsync();
        using var http = engine.CreateClient();
        using var admin = engine.CreateClient(Roles.PlatformAdmin, "control-plane");
        await http.CreateCollectionAsync("docs", 4);
        await http.OkAsync(HttpMethod.Post, "/v1/collections/docs/points", new { points = new[] { new { id = "a", vector = new[] { 1f, 2, 3, 4 } } } });
        var (_, files) = await BackupCalls.SnapshotAsync(admin);
        var (path, bytes) = files.First(f => f.Key.EndsWith(".seg", StringComparison.Ordinal));
        var restore = (await admin.OkAsync(HttpMethod.Post, InternalBackupRoutes.Restores))["restore_id"]!.GetValue<string>();

        using var response = await BackupCalls.PutAsync(admin, restore, path, bytes[..^1], BackupCalls.Sha256(bytes));
        ApiCalls.AssertProblem((response.StatusCode, System.Text.Json.Nodes.JsonNode.Parse(await response.Content.ReadAsStringAsync()), string.Empty,
            response.Content.Headers.ContentType?.MediaType), 400, path);

        using var keyClient = engine.CreateClient("admin");
        ApiCalls.AssertProblem(await keyClient.SendAsync(HttpMethod.Post, InternalBackupRoutes.Snapshots, new { }), 403, "platform_admin");
    }
}
