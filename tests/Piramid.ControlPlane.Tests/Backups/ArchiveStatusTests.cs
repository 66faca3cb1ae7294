using System.Net;
using System.Text.Json.Nodes;
using Piramid.ControlPlane.Tests.Support;
using static Piramid.ControlPlane.Tests.Backups.BackupFixture;

namespace Piramid.ControlPlane.Tests.Backups;

/// <summary>The archive lag and last archived time on <c>GET /v1/tenants/{id}/backups</c>, not only as a metric.</summary>
[Collection(PostgresCollection.Name)]
public sealed class ArchiveStatusTests(PostgresFixture postgres)
{
    [Fact]
    public async Task BackupList_ShowsTheWindow_TheLag_AndTheLastArchivedTime_OnceTheLogIsArchived()
    {
        await using var f = await BackupFixture.StartAsync(postgres, "archive-status", plan: "standard");
        await f.CreateCollectionAsync("docs", 8);
        await f.UpsertAsync("docs", 0, 200, 8, seed: 3);
        var written = DateTimeOffset.UtcNow;
        await f.BackupAsync(); // the snapshot seals the log, so the archiver has a segment to store

        var archive = await PollArchiveAsync(f, a => a["last_archived_at"] is not null && a["measured_at"] is not null);
        Assert.Equal(24, archive["recovery_window_hours"]!.GetValue<int>());
        var lag = archive["wal_archive_lag_seconds"]!.GetValue<double>();
        Assert.InRange(lag, 0, BackupFixture.Patience.TotalSeconds);
        Assert.True(archive["unarchived_bytes"]!.GetValue<long>() >= 0, archive.ToJsonString());
        Assert.True(archive["last_archived_at"]!.GetValue<DateTimeOffset>() >= written.AddSeconds(-5), archive.ToJsonString());
        Assert.True(archive["archived_through"]!.GetValue<DateTimeOffset>() >= written.AddSeconds(-5), archive.ToJsonString());
    }

    [Fact]
    public async Task BackupList_OfAPlanWithoutWindow_SaysSo_AndHasNoLag()
    {
        await using var f = await BackupFixture.StartAsync(postgres, "archive-none");
        var listed = await SendAsync(f.Admin, HttpMethod.Get, $"/v1/tenants/{f.Tenant}/backups", null, HttpStatusCode.OK);
        var archive = listed["archive"]!.AsObject();
        Assert.Equal(0, archive["recovery_window_hours"]!.GetValue<int>());
        Assert.Null(archive["wal_archive_lag_seconds"]);
        Assert.Null(archive["last_archived_at"]);
    }

    private static async Task<JsonObject> PollArchiveAsync(BackupFixture f, Func<JsonObject, bool> done)
    {
        var deadline = DateTimeOffset.UtcNow + BackupFixture.Patience;
        while (true)
        {
            var listed = await SendAsync(f.Admin, HttpMethod.Get, $"/v1/tenants/{f.Tenant}/backups", null, HttpStatusCode.OK);
            var archive = listed["archive"]!.AsObject();
            if (done(archive))
            {
                return archive;
            }

            Assert.True(DateTimeOffset.UtcNow < deadline, $"the archive never caught up: {archive.ToJsonString()}");
            await Task.Delay(100); // polling the archiver's pass (Backups:ArchiveInterval, 0.5 s here)
        }
    }
}
