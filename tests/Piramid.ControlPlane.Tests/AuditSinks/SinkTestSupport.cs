using System.Diagnostics;
using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using Piramid.Audit.Cli;
using Piramid.ControlPlane.Tests.Backups;

namespace Piramid.ControlPlane.Tests.AuditSinks;

/// <summary>Settings and helpers shared by the audit sink tests.</summary>
internal static partial class SinkTestSupport
{
    /// <summary>
    /// Sinks looked at every 100 ms, S3 objects written at every look, entries delivered at once (no settle delay: the
    /// tests write one change at a time), small batches so that a backlog drains in several steps, and loopback
    /// receivers allowed.
    /// </summary>
    public static Dictionary<string, string?> Settings() => new()
    {
        ["AuditSinks:PollInterval"] = "00:00:00.100",
        ["AuditSinks:S3Interval"] = "00:00:00",
        ["AuditSinks:SettleDelay"] = "00:00:00",
        ["AuditSinks:BatchSize"] = "4",
        ["AuditSinks:DeliveryTimeout"] = "00:00:10",
        ["AuditSinks:AllowPrivateAddresses"] = "true",
    };

    public static readonly TimeSpan Patience = TimeSpan.FromSeconds(60);

    /// <summary>GET the sink.</summary>
    public static async Task<JsonObject> SinkAsync(BackupFixture f) =>
        (await f.Admin.GetFromJsonAsync<JsonObject>($"/v1/tenants/{f.Tenant}/audit/sink"))!;

    /// <summary>Polls the sink's state until <paramref name="done"/> holds (or fails with the last state seen).</summary>
    public static async Task<JsonObject> WaitSinkAsync(BackupFixture f, Func<JsonObject, bool> done, string what)
    {
        var clock = Stopwatch.StartNew();
        while (true)
        {
            var sink = await SinkAsync(f);
            if (done(sink))
            {
                return sink;
            }

            Assert.True(clock.Elapsed < Patience, $"the sink did not reach '{what}' within {Patience}: {sink}");
            await Task.Delay(50);
        }
    }

    /// <summary>Waits until rsyslog has written at least <paramref name="count"/> lines.</summary>
    public static async Task WaitLinesAsync(TestKit.Syslog.RsyslogServer rsyslog, int count)
    {
        var clock = Stopwatch.StartNew();
        while (rsyslog.ReadLines().Count < count)
        {
            Assert.True(clock.Elapsed < Patience, $"rsyslog wrote {rsyslog.ReadLines().Count} of {count} lines");
            await Task.Delay(50);
        }
    }

    /// <summary>The whole trail as the NDJSON export gives it (entries, then anchors), line by line.</summary>
    public static async Task<List<string>> ExportLinesAsync(BackupFixture f)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, $"/v1/tenants/{f.Tenant}/audit");
        request.Headers.Accept.Add(new MediaTypeWithQualityHeaderValue("application/x-ndjson"));
        using var response = await f.Admin.SendAsync(request);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        return [.. (await response.Content.ReadAsStringAsync()).Split('\n', StringSplitOptions.RemoveEmptyEntries)];
    }

    /// <summary>The entry lines of an export keyed by "source:seq".</summary>
    public static Dictionary<string, string> EntriesByKey(IEnumerable<string> lines) =>
        lines.Where(l => !l.StartsWith("{\"anchor\"", StringComparison.Ordinal)).ToDictionary(KeyOf);

    /// <summary>"source:seq" of an entry line.</summary>
    public static string KeyOf(string line)
    {
        var e = JsonNode.Parse(line)!;
        return $"{e["source"]}:{e["seq"]}";
    }

    /// <summary>The newest data sequence of an export.</summary>
    public static long DataHead(IEnumerable<string> lines) =>
        EntriesByKey(lines).Keys.Where(k => k.StartsWith("data:", StringComparison.Ordinal)).Select(k => long.Parse(k[5..], System.Globalization.CultureInfo.InvariantCulture)).DefaultIfEmpty(0).Max();

    /// <summary>The newest control event id of an export.</summary>
    public static long ControlHead(IEnumerable<string> lines) =>
        EntriesByKey(lines).Keys.Where(k => k.StartsWith("control:", StringComparison.Ordinal)).Select(k => long.Parse(k[8..], System.Globalization.CultureInfo.InvariantCulture)).DefaultIfEmpty(0).Max();

    /// <summary>True when the sink has delivered through both heads and counts no backlog.</summary>
    public static bool Reached(JsonObject sink, long control, long data) =>
        (long)sink["delivered_control_seq"]! >= control && (long)sink["delivered_data_seq"]! >= data && (long)sink["backlog"]! == 0;

    /// <summary>Verifies NDJSON text as piramid-audit verify does, with the platform's JWKS.</summary>
    public static async Task<ExportVerification> VerifyAsync(BackupFixture f, string ndjson)
    {
        var jwks = new AnchorSignature(await f.Admin.GetStringAsync(new Uri("/.well-known/jwks", UriKind.Relative)));
        using var reader = new StringReader(ndjson);
        return ExportVerifier.Verify(ExportReader.Read(reader), jwks);
    }

    /// <summary>One line rsyslog wrote: the structured data, then the message (the entry's JSON line).</summary>
    public static (long Seq, string Source, string Tenant, string Message) ParseReceived(string line)
    {
        var match = ReceivedLine().Match(line);
        Assert.True(match.Success, $"not a line of ours: {line}");
        return (long.Parse(match.Groups["seq"].Value, System.Globalization.CultureInfo.InvariantCulture), match.Groups["source"].Value, match.Groups["tenant"].Value, match.Groups["msg"].Value);
    }

    [GeneratedRegex("^\\[piramid@32473 seq=\"(?<seq>[0-9]+)\" source=\"(?<source>[a-z]+)\" tenant=\"(?<tenant>[^\"]+)\"\\] (?<msg>\\{.*\\})$")]
    private static partial Regex ReceivedLine();
}
