using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using Piramid.Audit.Cli;

namespace Piramid.ControlPlane.Tests.Auditing;

/// <summary>
/// Properties of <c>piramid-audit verify</c> on the control plane's chain over seeded random exports: an intact chain
/// verifies; an edited field (JSON state included), a deleted, inserted or reordered event, a removed hash, a cut tail
/// and a chain recomputed after an edit are each reported at the right control event. (<see cref="ControlChainTests"/>
/// checks the same on rows of a real database.)
/// </summary>
public sealed class ControlChainPropertyTests
{
    private const int Rounds = 200;
    private static readonly string Zero = new('0', 64);

    [Fact]
    public void IntactChains_Verify_WithUnchainedRefusalCountsAnywhere()
    {
        using var key = RSA.Create(2048);
        var random = new Random(3);
        for (var round = 0; round < Rounds; round++)
        {
            var events = Chain(random, random.Next(1, 30));
            var result = ExportVerifier.Verify(Export(events, AnchorsOf(events, key, random)), Jwks(key));
            Assert.True(result.IsValid, result.Problem);
        }
    }

    [Theory]
    [InlineData("edit")]
    [InlineData("edit-json")]
    [InlineData("delete")]
    [InlineData("insert")]
    [InlineData("reorder")]
    [InlineData("strip")]
    [InlineData("truncate")]
    [InlineData("rechain")]
    public void EveryTampering_IsReportedAtTheRightControlEvent(string tampering)
    {
        using var key = RSA.Create(2048);
        var jwks = Jwks(key);
        var random = new Random(tampering.GetHashCode(StringComparison.Ordinal) & 0xffff);
        for (var round = 0; round < Rounds; round++)
        {
            var events = Chain(random, random.Next(3, 30));
            var anchors = AnchorsOf(events, key, random);
            var chained = Enumerable.Range(0, events.Count).Where(i => events[i].Hash is not null).ToList();
            var c = random.Next(1, chained.Count - 1); // a position in the chain that is neither the first nor the last
            var k = chained[c];
            long expected;
            switch (tampering)
            {
                case "edit":
                    k = chained[random.Next(chained.Count)];
                    events[k] = random.Next(3) switch
                    {
                        0 => events[k] with { Actor = events[k].Actor + "x" },
                        1 => events[k] with { Time = events[k].Time.AddTicks(10) },
                        _ => events[k] with { TargetId = "other" },
                    };
                    expected = events[k].Seq;
                    break;
                case "edit-json":
                    k = chained[random.Next(chained.Count)];
                    events[k] = events[k] with { After = Json($$"""{"id":"{{events[k].TargetId}}","role":"admin"}""") };
                    expected = events[k].Seq;
                    break;
                case "delete":
                    expected = events[k].Seq;
                    events.RemoveAt(k);
                    break;
                case "insert":
                    // A forgery that fits where it stands: the right sequence, link and hash; the event after it no longer fits.
                    var forged = Event(events[k].Seq, events[chained[c - 1]].Hash!, random);
                    events.Insert(k, forged);
                    expected = events[k].Seq;
                    break;
                case "reorder":
                    var previous = chained[c - 1];
                    (events[previous], events[k]) = (events[k], events[previous]);
                    expected = events[previous].Seq - 1;
                    break;
                case "strip":
                    expected = events[k].Seq;
                    events[k] = events[k] with { Hash = null, PrevHash = null };
                    break;
                case "truncate":
                    expected = events[k].Seq;
                    events.RemoveRange(k, events.Count - k);
                    break;
                default:
                    // Edited, then every later hash recomputed: the chain holds, the anchor of the head does not.
                    k = chained[random.Next(chained.Count)];
                    events[k] = events[k] with { Actor = "someone-else" };
                    string? link = k == chained[0] ? Zero : events[chained.Last(i => i < k)].Hash;
                    foreach (var i in chained.Where(i => i >= k))
                    {
                        var linked = events[i] with { PrevHash = link };
                        events[i] = linked with { Hash = link = linked.ComputeHash() };
                    }

                    expected = anchors.Where(a => a.ControlSeq >= events[k].Seq).Min(a => a.ControlSeq!.Value);
                    break;
            }

            var result = ExportVerifier.Verify(Export(events, anchors), jwks);
            Assert.False(result.IsValid, $"{tampering} round {round} verified");
            Assert.Equal("control", result.Source);
            Assert.True(expected == result.FirstBadSeq, $"{tampering} round {round}: expected control event {expected}, got {result.FirstBadSeq}: {result.Problem}");
        }
    }

    [Fact]
    public void AnExportWithoutControlEvents_LeavesTheControlChainUnchecked_ButAControlOnlyExportIsChecked()
    {
        using var key = RSA.Create(2048);
        var random = new Random(8);
        var events = Chain(random, 6);
        var anchors = AnchorsOf(events, key, random);
        Assert.True(ExportVerifier.Verify(Export([], anchors), Jwks(key)).IsValid);
        Assert.False(ExportVerifier.Verify(Export([.. events.Take(2)], anchors), Jwks(key)).IsValid);
    }

    // Control events whose chained ones run 1..n, with unchained refusal counts (auth.failed) mixed in.
    private static List<ControlEntry> Chain(Random random, int count)
    {
        var events = new List<ControlEntry>();
        var seq = 0L;
        var hash = Zero;
        for (var i = 0; i < count; i++)
        {
            if (random.Next(6) == 0)
            {
                events.Add(new ControlEntry(0, 1000 + i, Start.AddSeconds(i), "gateway", "auth.failed", "request", "-", "t1", null, null, Json("""{"count":3}"""), null, null));
                continue;
            }

            var e = Event(++seq, hash, random);
            events.Add(e);
            hash = e.Hash!;
        }

        if (events.Count(e => e.Hash is not null) < 3)
        {
            for (var i = 0; i < 3; i++)
            {
                var e = Event(++seq, hash, random);
                events.Add(e);
                hash = e.Hash!;
            }
        }

        return events;
    }

    private static readonly DateTimeOffset Start = new(2026, 12, 6, 0, 0, 0, TimeSpan.Zero);

    private static ControlEntry Event(long seq, string prevHash, Random random)
    {
        var actions = new[] { "tenant.create", "api_key.create", "api_key.revoke", "member.invite" };
        var id = $"k{random.Next(1000)}";
        var e = new ControlEntry(0, seq, Start.AddTicks(seq * 10_000_010), $"op-{random.Next(3)}", actions[random.Next(actions.Length)], "api_key", id, "t1",
            random.Next(3) == 0 ? null : $"req-{random.Next()}", random.Next(2) == 0 ? null : Json($$"""{"id":"{{id}}","n":{{random.Next(100)}}.50}"""),
            Json($$"""{"id":"{{id}}","name":"k\u002B{{random.Next(9)}}","tags":["a","ü"],"ok":true}"""), prevHash, null);
        return e with { Hash = e.ComputeHash() };
    }

    private static JsonElement Json(string text)
    {
        using var document = JsonDocument.Parse(text);
        return document.RootElement.Clone();
    }

    private static ExportContent Export(List<ControlEntry> events, List<ExportAnchor> anchors)
    {
        var lines = events.Select((e, i) => e with { Line = i + 1 }).ToList();
        return new ExportContent([], anchors, lines.Count, "t1", lines);
    }

    // Anchors at a few random chained events and always at the head, engine head 0 (no engine entries).
    private static List<ExportAnchor> AnchorsOf(List<ControlEntry> events, RSA key, Random random)
    {
        var chained = events.Where(e => e.Hash is not null).ToList();
        var picked = Enumerable.Range(0, random.Next(0, 3)).Select(_ => chained[random.Next(chained.Count)]).Append(chained[^1]).OrderBy(e => e.Seq);
        return [.. picked.Select(e => Sign(key, e.Seq, e.Hash!, e.Time.AddSeconds(1)))];
    }

    private static ExportAnchor Sign(RSA key, long seq, string hash, DateTimeOffset at)
    {
        var header = B64(JsonSerializer.SerializeToUtf8Bytes(new { alg = "RS256", kid = "k1", typ = AnchorSignature.Type }));
        var payload = B64(JsonSerializer.SerializeToUtf8Bytes(new { tenant_id = "t1", engine_seq = 0, engine_hash = Zero, signed_at = at, control_seq = seq, control_hash = hash }));
        var signature = key.SignData(Encoding.ASCII.GetBytes(header + "." + payload), HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1);
        return new ExportAnchor(0, "t1", 0, Zero, at, $"{header}.{payload}.{B64(signature)}", seq, hash);
    }

    private static AnchorSignature Jwks(RSA key)
    {
        var p = key.ExportParameters(false);
        return new AnchorSignature(JsonSerializer.Serialize(new { keys = new[] { new { kty = "RSA", kid = "k1", n = B64(p.Modulus!), e = B64(p.Exponent!) } } }));
    }

    private static string B64(byte[] bytes) => Convert.ToBase64String(bytes).TrimEnd('=').Replace('+', '-').Replace('/', '_');
}
