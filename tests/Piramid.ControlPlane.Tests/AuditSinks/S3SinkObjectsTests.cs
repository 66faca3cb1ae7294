using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using Microsoft.EntityFrameworkCore;
using Piramid.ControlPlane.Auditing.Sinks;
using Piramid.ControlPlane.Data;
using Piramid.ControlPlane.Data.Entities;
using Piramid.ControlPlane.Tests.Backups;
using Piramid.ControlPlane.Tests.Support;
using Piramid.TestKit.S3;
using Piramid.TestKit.Time;
using static Piramid.ControlPlane.Tests.AuditSinks.SinkTestSupport;

namespace Piramid.ControlPlane.Tests.AuditSinks;

/// <summary>
/// What a bucket holds while a store fails and recovers (moto_server behind a proxy that fails PUTs, a real engine, the
/// control plane's own delivery steps on a manual clock): each object is named by the positions it holds, a retry after
/// a partial failure never writes an entry into a second object, the anchors an object carries name only what the
/// bucket already holds, and a failing store does not make the sink sign an anchor per retry.
/// </summary>
[Collection(PostgresCollection.Name)]
public sealed class S3SinkObjectsTests(PostgresFixture postgres)
{
    [Fact]
    public async Task APartialFailure_ThenARetrySplitDifferently_PutsEveryEntryInExactlyOneObject_NamedByItsOwnPositions()
    {
        await using var moto = await MotoServer.StartAsync();
        var bucket = await moto.CreateBucketAsync();
        await using var proxy = await FaultyS3Proxy.StartAsync(moto.ServiceUrl);
        await using var f = await BackupFixture.StartAsync(postgres, "sink-split", store: Settings(TimeSpan.FromMinutes(1), batch: 50));
        var clock = new ManualClock(DateTimeOffset.UtcNow);

        // Engine entries (they settle for a minute), then control events after them in time: an API key, an
        // auth.failed stamped two hours back (the gateway's last_seen), another key, and the sink's configuration.
        await f.CreateCollectionAsync("docs", 4);
        await f.UpsertAsync("docs", 0, 3, 4, seed: 1);
        await CreateKeyAsync(f, "first");
        await AddAuthFailureAsync(f, clock.GetUtcNow() - TimeSpan.FromHours(2));
        await CreateKeyAsync(f, "second");
        await PutSinkAsync(f, proxy, bucket);

        // The engine's entries are not settled yet: the batch is the control events alone, in three hour runs
        // (this hour, two hours back, this hour). The store takes the first two objects and refuses the third.
        proxy.FailAfter(2);
        Assert.NotNull(await RoundAsync(f, clock));
        Assert.Equal(2, proxy.PutsPassed);

        // They settle: a batch read again from where the first attempt began would now start with them and split the
        // same control events differently.
        proxy.PassAll();
        clock.Advance(TimeSpan.FromMinutes(2));
        var error = await RoundAsync(f, clock);
        Assert.True(error is null, error);

        var export = await ExportLinesAsync(f);
        var objects = await S3SinkTests.ReadObjectsAsync(moto, bucket);
        var lines = objects.Values.SelectMany(o => o.Split('\n', StringSplitOptions.RemoveEmptyEntries)).Where(l => !l.StartsWith("{\"anchor\"", StringComparison.Ordinal)).ToList();
        var twice = lines.GroupBy(IdOf).Where(g => g.Count() > 1).Select(g => g.Key).ToList();
        Assert.True(twice.Count == 0, $"entries in more than one object: {string.Join(", ", twice)}; keys: {string.Join(", ", objects.Keys)}");
        Assert.Equal(Ids(export).Order(), lines.Select(IdOf).Order());
        var verified = await VerifyAsync(f, S3SinkTests.Concatenate(objects));
        Assert.True(verified.IsValid, verified.Problem);

        // Each key names the engine sequences it holds (first..last; an empty range is first = last + 1).
        foreach (var (key, content) in objects)
        {
            var match = System.Text.RegularExpressions.Regex.Match(key, $"^audit/{f.Tenant}/[0-9]{{4}}/[0-9]{{2}}/[0-9]{{2}}/[0-9]{{2}}-d(?<df>[0-9]{{12}})-(?<dl>[0-9]{{12}})-c(?<cf>[0-9]{{12}})-(?<cl>[0-9]{{12}})\\.ndjson\\.gz$");
            Assert.True(match.Success, key);
            var data = content.Split('\n', StringSplitOptions.RemoveEmptyEntries).Select(l => JsonNode.Parse(l)!).Where(n => (string?)n["source"] == "data").Select(n => (long)n["seq"]!).ToList();
            var (first, last) = (long.Parse(match.Groups["df"].Value, System.Globalization.CultureInfo.InvariantCulture), long.Parse(match.Groups["dl"].Value, System.Globalization.CultureInfo.InvariantCulture));
            Assert.Equal(data.Count == 0 ? (first, first - 1) : (data.Min(), data.Max()), (first, last));
            Assert.True(long.Parse(match.Groups["cl"].Value, System.Globalization.CultureInfo.InvariantCulture) >= long.Parse(match.Groups["cf"].Value, System.Globalization.CultureInfo.InvariantCulture) - 1, key);
        }
    }

    [Fact]
    public async Task AFailingStore_GetsOneAnchorSignedNotOnePerRetry_AndTheBucketAloneVerifiesAfterEveryStep()
    {
        await using var moto = await MotoServer.StartAsync();
        var bucket = await moto.CreateBucketAsync();
        await using var proxy = await FaultyS3Proxy.StartAsync(moto.ServiceUrl);
        await using var f = await BackupFixture.StartAsync(postgres, "sink-anchors", store: Settings(TimeSpan.Zero, batch: 3));
        var clock = new ManualClock(DateTimeOffset.UtcNow);
        await f.CreateCollectionAsync("docs", 4);
        await f.UpsertAsync("docs", 0, 3, 4, seed: 1);
        await PutSinkAsync(f, proxy, bucket);
        var before = await AnchorCountAsync(f);

        // The store refuses every PUT; between the retries the tenant keeps writing, so both heads move.
        proxy.FailAfter(0);
        for (var retry = 0; retry < 5; retry++)
        {
            Assert.NotNull(await RoundAsync(f, clock));
            await CreateKeyAsync(f, $"during-outage-{retry}");
            await f.UpsertAsync("docs", 3 + retry, 1, 4, seed: 10 + retry);
            clock.Advance(TimeSpan.FromSeconds(10));
        }

        Assert.Equal(1, await AnchorCountAsync(f) - before);

        // The store is back: step by step, the bucket alone verifies after each one (no anchor names what it lacks).
        proxy.PassAll();
        for (var step = 0; ; step++)
        {
            Assert.True(step < 100, "the backlog did not drain");
            var (more, error) = await StepAsync(f, clock);
            Assert.True(error is null, error);
            var verified = await VerifyAsync(f, S3SinkTests.Concatenate(await S3SinkTests.ReadObjectsAsync(moto, bucket)));
            Assert.True(verified.IsValid, $"after step {step}: {verified.Problem}");
            if (!more)
            {
                break;
            }
        }

        // Complete: every entry of the trail exactly once, and the anchor signed during the outage is carried.
        var objects = await S3SinkTests.ReadObjectsAsync(moto, bucket);
        var whole = S3SinkTests.Concatenate(objects);
        var lines = whole.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        var entries = lines.Where(l => !l.StartsWith("{\"anchor\"", StringComparison.Ordinal)).Select(IdOf).ToList();
        Assert.Equal(entries.Count, entries.Distinct().Count());
        Assert.Contains(lines, l => l.StartsWith("{\"anchor\"", StringComparison.Ordinal));
        var export = await ExportLinesAsync(f);
        Assert.Equal(Ids(export).Order(), entries.Order());
    }

    // "source:id": an unchained control event's seq is its row id, which may equal a chained event's seq.
    private static string IdOf(string line)
    {
        var e = JsonNode.Parse(line)!;
        return $"{e["source"]}:{e["id"]}";
    }

    private static IEnumerable<string> Ids(IEnumerable<string> export) =>
        export.Where(l => !l.StartsWith("{\"anchor\"", StringComparison.Ordinal)).Select(IdOf);

    // Delivery steps are the test's (on its clock): the host's own rounds stay an hour apart, and so do its anchors.
    private static Dictionary<string, string?> Settings(TimeSpan settle, int batch)
    {
        var settings = SinkTestSupport.Settings();
        settings["AuditSinks:PollInterval"] = "01:00:00";
        settings["AuditSinks:SettleDelay"] = settle.ToString("c", System.Globalization.CultureInfo.InvariantCulture);
        settings["AuditSinks:BatchSize"] = batch.ToString(System.Globalization.CultureInfo.InvariantCulture);
        settings["AuditExport:AnchorInterval"] = "01:00:00";
        return settings;
    }

    private static async Task PutSinkAsync(BackupFixture f, FaultyS3Proxy proxy, string bucket)
    {
        using var put = await f.Admin.PutAsJsonAsync($"/v1/tenants/{f.Tenant}/audit/sink", new
        {
            kind = "s3",
            endpoint = proxy.Url.ToString(),
            bucket,
            prefix = "audit/",
            access_key_id = MotoServer.AccessKey,
            secret_access_key = MotoServer.SecretKey,
        });
        Assert.Equal(HttpStatusCode.OK, put.StatusCode);
    }

    private static async Task CreateKeyAsync(BackupFixture f, string name) =>
        (await f.Admin.PostAsJsonAsync($"/v1/tenants/{f.Tenant}/api-keys", new { name, role = "read_only" })).EnsureSuccessStatusCode();

    private static async Task AddAuthFailureAsync(BackupFixture f, DateTimeOffset time)
    {
        await using var scope = f.Host.App.Services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<ControlPlaneDbContext>();
        db.AuditEvents.Add(new AuditEvent { Time = time, Actor = "gateway", Action = "auth.failed", TargetType = "api_key", TargetId = "k", TenantId = f.Tenant, After = """{"reason":"invalid"}""" });
        await db.SaveChangesAsync();
    }

    private static async Task<int> AnchorCountAsync(BackupFixture f)
    {
        await using var scope = f.Host.App.Services.CreateAsyncScope();
        return await scope.ServiceProvider.GetRequiredService<ControlPlaneDbContext>().AuditAnchors.CountAsync(a => a.TenantId == f.Tenant);
    }

    // One step of the sink as stored: whether a full batch went, and the error it recorded.
    private static async Task<(bool More, string? Error)> StepAsync(BackupFixture f, TimeProvider clock)
    {
        await using var scope = f.Host.App.Services.CreateAsyncScope();
        var sink = await scope.ServiceProvider.GetRequiredService<ControlPlaneDbContext>().AuditSinks.AsNoTracking().SingleAsync(s => s.TenantId == f.Tenant);
        var delivery = ActivatorUtilities.CreateInstance<AuditSinkDelivery>(scope.ServiceProvider, clock);
        var more = await delivery.RunOnceAsync(sink, CancellationToken.None);
        return (more, sink.LastError);
    }

    // A round as the service runs it: steps while a full batch went; the error of the last one.
    private static async Task<string?> RoundAsync(BackupFixture f, TimeProvider clock)
    {
        for (var step = 0; step < 50; step++)
        {
            var (more, error) = await StepAsync(f, clock);
            if (!more || error is not null)
            {
                return error;
            }
        }

        return null;
    }
}
