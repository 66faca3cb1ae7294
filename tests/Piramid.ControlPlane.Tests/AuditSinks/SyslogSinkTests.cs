using System.Net;
using System.Net.Http.Json;
using Piramid.ControlPlane.Tests.Backups;
using Piramid.ControlPlane.Tests.Support;
using Piramid.TestKit.Syslog;
using static Piramid.ControlPlane.Tests.AuditSinks.SinkTestSupport;

namespace Piramid.ControlPlane.Tests.AuditSinks;

/// <summary>
/// Continuous export to Debian's rsyslog over TCP on loopback: every entry of both sources arrives as an RFC 5424
/// message whose structured data carries seq, source and tenant and whose message is the export's own line; an outage
/// of the receiver builds a reported backlog that is delivered without a gap once it is back.
/// </summary>
[Collection(PostgresCollection.Name)]
public sealed class SyslogSinkTests(PostgresFixture postgres)
{
    [Fact]
    public async Task EveryEntryArrives_AndAnOutageBuildsAReportedBacklog_DeliveredWithoutGapsWhenTheReceiverIsBack()
    {
        await using var rsyslog = await RsyslogServer.StartAsync();
        await using var f = await BackupFixture.StartAsync(postgres, "sink-syslog", store: Settings());
        await f.CreateCollectionAsync("docs", 4);
        await f.UpsertAsync("docs", 0, 3, 4, seed: 1);
        var put = await BackupFixture.SendAsync(f.Admin, HttpMethod.Put, $"/v1/tenants/{f.Tenant}/audit/sink",
            new { kind = "syslog", host = "127.0.0.1", port = rsyslog.Port }, HttpStatusCode.OK);
        Assert.Equal("syslog", (string)put["kind"]!);

        var export = await ExportLinesAsync(f);
        await WaitSinkAsync(f, s => Reached(s, ControlHead(export), DataHead(export)) && (string)s["state"]! == "delivering", "everything delivered");
        await WaitLinesAsync(rsyslog, EntriesByKey(export).Count);
        AssertReceivedExactly(f.Tenant, rsyslog, EntriesByKey(export));

        // The receiver goes away: entries are still stored, the cursor stops, the backlog and the error are reported.
        await rsyslog.KillAsync();
        await f.UpsertAsync("docs", 3, 2, 4, seed: 2);
        await f.UpsertAsync("docs", 5, 2, 4, seed: 3);
        (await f.Admin.PostAsJsonAsync($"/v1/tenants/{f.Tenant}/api-keys", new { name = "during-outage", role = "read_only" })).EnsureSuccessStatusCode();
        var failing = await WaitSinkAsync(f, s => (string)s["state"]! == "failing" && (long)s["backlog"]! == 3, "failing with a backlog of 3");
        Assert.Contains($"127.0.0.1:{rsyslog.Port}", (string)failing["last_error"]!, StringComparison.Ordinal);
        Assert.NotNull(failing["last_error_at"]);
        Assert.Equal(DataHead(export), (long)failing["delivered_data_seq"]!);

        await rsyslog.StartAgainAsync();
        var all = await ExportLinesAsync(f);
        var delivered = await WaitSinkAsync(f, s => Reached(s, ControlHead(all), DataHead(all)), "the backlog drained");
        Assert.Equal("delivering", (string)delivered["state"]!);
        Assert.Null(delivered["last_error"]);
        await WaitLinesAsync(rsyslog, EntriesByKey(all).Count);
        AssertReceivedExactly(f.Tenant, rsyslog, EntriesByKey(all));

        // The data entries received, in the order received, verify as a chain from entry 1.
        var received = rsyslog.ReadLines().Select(ParseReceived).Select(r => r.Message);
        var verification = await VerifyAsync(f, string.Join('\n', received) + "\n");
        Assert.True(verification.IsValid, verification.Problem);
    }

    // Each entry exactly once (this receiver closes only after reading everything, so no batch is sent twice), in each
    // source's order, the message byte for byte the export's line.
    private static void AssertReceivedExactly(string tenant, RsyslogServer rsyslog, Dictionary<string, string> expected)
    {
        var received = rsyslog.ReadLines().Select(ParseReceived).ToList();
        Assert.All(received, r => Assert.Equal(tenant, r.Tenant));
        Assert.All(received, r => Assert.Equal($"{r.Source}:{r.Seq}", KeyOf(r.Message)));
        var keys = received.Select(r => $"{r.Source}:{r.Seq}").ToList();
        Assert.Equal(keys.Distinct().Count(), keys.Count);
        Assert.Equal(expected.Keys.Order(StringComparer.Ordinal), keys.Order(StringComparer.Ordinal));
        foreach (var r in received)
        {
            Assert.Equal(expected[$"{r.Source}:{r.Seq}"], r.Message);
        }

        foreach (var source in new[] { "control", "data" })
        {
            var seqs = received.Where(r => r.Source == source).Select(r => r.Seq).ToList();
            Assert.Equal(seqs.Order(), seqs);
        }
    }
}
