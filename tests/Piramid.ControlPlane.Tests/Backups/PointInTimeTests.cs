using System.Collections.Concurrent;
using System.Diagnostics;
using System.Net;
using Piramid.ControlPlane.Tests.Support;
using static Piramid.ControlPlane.Tests.Backups.BackupFixture;

namespace Piramid.ControlPlane.Tests.Backups;

/// <summary>Point-in-time restore from a backup and the archived log (issue 18, "Tests").</summary>
[Collection(PostgresCollection.Name)]
public sealed class PointInTimeTests(PostgresFixture postgres)
{
    private const int Dimension = 8;

    [Fact]
    public async Task ConcurrentWritersThenDeleteByFilter_RestoreToOneSecondBefore_HasEveryWriteAcknowledgedBeforeAndNoneSentAfter()
    {
        await using var f = await BackupFixture.StartAsync(postgres, "pitr", plan: "standard");
        await f.CreateCollectionAsync("docs", Dimension);
        await f.UpsertAsync("docs", 0, 300, Dimension, seed: 4);
        await f.BackupAsync();

        // Two writers for a while; each batch's send and acknowledgement times are recorded.
        var batches = new ConcurrentBag<(string[] Ids, DateTimeOffset Sent, DateTimeOffset Acked)>();
        var clock = Stopwatch.StartNew();
        await Task.WhenAll(Enumerable.Range(0, 2).Select(writer => Task.Run(async () =>
        {
            using var engine = f.Engine();
            for (var batch = 0; clock.Elapsed < TimeSpan.FromSeconds(3); batch++)
            {
                var ids = Enumerable.Range(0, 10).Select(i => $"w{writer}-{batch}-{i}").ToArray();
                var sent = DateTimeOffset.UtcNow;
                await SendAsync(engine, HttpMethod.Post, "/v1/collections/docs/points", new
                {
                    points = ids.Select((id, i) => new { id, vector = Enumerable.Range(0, Dimension).Select(d => (float)(d + i + 1)).ToArray(), metadata = new { doomed = true } }),
                }, HttpStatusCode.OK);
                batches.Add((ids, sent, DateTimeOffset.UtcNow));
            }
        })));

        var deleteSent = DateTimeOffset.UtcNow;
        using (var engine = f.Engine())
        {
            await SendAsync(engine, HttpMethod.Post, "/v1/collections/docs/points/delete", new { filter = new { doomed = true } }, HttpStatusCode.OK);
        }

        // Append times are kept to the millisecond, so "at T" takes in all of T's millisecond: the target is a whole
        // millisecond, and only batches sent after that millisecond ended must be missing.
        var target = DateTimeOffset.FromUnixTimeMilliseconds((deleteSent - TimeSpan.FromSeconds(1)).ToUnixTimeMilliseconds());
        var restore = await f.RunOperationAsync($"/v1/tenants/{f.Tenant}/restore", new { at = target });
        Assert.True(restore["state"]!.GetValue<string>() == "succeeded", restore.ToJsonString());

        var present = await IdsAsync(f);
        var before = batches.Where(b => b.Acked <= target).ToList();
        var after = batches.Where(b => b.Sent >= target + TimeSpan.FromMilliseconds(1)).ToList();
        Assert.NotEmpty(before);
        Assert.NotEmpty(after);
        Assert.All(Enumerable.Range(0, 300).Select(i => $"p{i}"), id => Assert.Contains(id, present));
        Assert.All(before.SelectMany(b => b.Ids), id => Assert.Contains(id, present));
        Assert.All(after.SelectMany(b => b.Ids), id => Assert.DoesNotContain(id, present));
    }

    private static async Task<HashSet<string>> IdsAsync(BackupFixture f)
    {
        using var engine = f.Engine();
        var ids = new HashSet<string>(StringComparer.Ordinal);
        string? cursor = null;
        do
        {
            var page = await SendAsync(engine, HttpMethod.Post, "/v1/collections/docs/scroll", new { limit = 1000, cursor, include_metadata = false }, HttpStatusCode.OK);
            foreach (var point in page["points"]!.AsArray())
            {
                ids.Add(point!["id"]!.GetValue<string>());
            }

            cursor = page["next_cursor"]?.GetValue<string>();
        }
        while (cursor is not null);
        return ids;
    }
}
