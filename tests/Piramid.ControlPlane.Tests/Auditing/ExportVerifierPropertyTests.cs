using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using Piramid.Audit.Cli;

namespace Piramid.ControlPlane.Tests.Auditing;

/// <summary>
/// Properties of <c>piramid-audit verify</c> over seeded random exports: an intact export verifies; an edit, a deletion,
/// an insertion (a well-formed forged entry), a reorder, a tail truncation and a changed LSN or point count (or a format 2
/// entry passed off as format 1) are each reported at the right entry, over chains that mix both entry formats; an
/// export whose hashes were recomputed after an edit fails on the anchor. (The engine's own canonical bytes are checked
/// against this verifier by <see cref="AuditExportTests"/>, on a real engine's export.)
/// </summary>
public sealed class ExportVerifierPropertyTests
{
    private const int Rounds = 200;
    private static readonly string Zero = new('0', 64);

    [Fact]
    public void IntactExports_Verify()
    {
        using var key = RSA.Create(2048);
        var jwks = Jwks(key);
        var random = new Random(11);
        for (var round = 0; round < Rounds; round++)
        {
            var entries = Chain(random, random.Next(1, 40));
            var result = ExportVerifier.Verify(Export(entries, key), jwks);
            Assert.True(result.IsValid, result.Problem);
        }
    }

    [Theory]
    [InlineData("edit")]
    [InlineData("delete")]
    [InlineData("insert")]
    [InlineData("reorder")]
    [InlineData("truncate")]
    [InlineData("rechain")]
    [InlineData("lsn")]
    [InlineData("points")]
    [InlineData("downgrade")]
    public void EveryTampering_IsReportedAtTheRightEntry(string tampering)
    {
        using var key = RSA.Create(2048);
        var jwks = Jwks(key);
        var random = new Random(tampering.GetHashCode(StringComparison.Ordinal) & 0xffff);
        for (var round = 0; round < Rounds; round++)
        {
            var entries = Chain(random, random.Next(3, 40));
            var anchors = AnchorsOf(entries, key, random);
            var k = random.Next(1, entries.Count); // a 0-based position that is never the last entry
            long expected;
            switch (tampering)
            {
                case "edit":
                    k = random.Next(0, entries.Count);
                    entries[k] = entries[k] with { Outcome = entries[k].Outcome + "x" };
                    expected = k + 1;
                    break;
                case "delete":
                    entries.RemoveAt(k);
                    expected = k + 1;
                    break;
                case "insert":
                    // A forgery that fits the chain where it stands: its own sequence, link and hash are right.
                    var forged = Entry(k + 1, entries[k - 1].Hash, random);
                    entries.Insert(k, forged);
                    expected = k + 1;
                    break;
                case "reorder":
                    (entries[k - 1], entries[k]) = (entries[k], entries[k - 1]);
                    expected = k;
                    break;
                case "lsn" or "points" or "downgrade":
                    // A format 2 entry's LSN or point count changed, or both dropped and the entry relabelled format 1.
                    var writes = Enumerable.Range(0, entries.Count).Where(i => entries[i].Format == 2).ToList();
                    k = writes[random.Next(writes.Count)];
                    entries[k] = tampering switch
                    {
                        "lsn" => entries[k] with { Lsn = (entries[k].Lsn ?? 0) + 1 },
                        "points" => entries[k] with { Points = entries[k].Points is null ? 1 : null },
                        _ => entries[k] with { Lsn = null, Points = null, Format = 1 },
                    };
                    expected = k + 1;
                    break;
                case "truncate":
                    var keep = random.Next(1, entries.Count);
                    entries.RemoveRange(keep, entries.Count - keep);
                    expected = keep + 1;
                    break;
                default:
                    // Edited, then every hash from there on recomputed: the chain holds, the anchor of the head does not.
                    k = random.Next(0, entries.Count);
                    entries[k] = entries[k] with { Principal = "someone-else" };
                    for (var i = k; i < entries.Count; i++)
                    {
                        var linked = entries[i] with { PrevHash = i == 0 ? Zero : entries[i - 1].Hash };
                        entries[i] = linked with { Hash = linked.ComputeHash()! };
                    }

                    // The first anchor at or after the edit (the head's anchor is always there) no longer fits.
                    expected = anchors.Where(a => a.EngineSeq >= k + 1).Min(a => a.EngineSeq);
                    break;
            }

            var result = ExportVerifier.Verify(new ExportContent(entries, anchors, 0, "t1"), jwks);
            Assert.False(result.IsValid, $"{tampering} round {round} verified");
            Assert.True(expected == result.FirstBadSeq, $"{tampering} round {round}: expected entry {expected}, got {result.FirstBadSeq}: {result.Problem}");
        }
    }

    [Fact]
    public void AnAnchorSignedByAnotherKey_OrChangedAfterSigning_Fails()
    {
        using var key = RSA.Create(2048);
        using var other = RSA.Create(2048);
        var random = new Random(5);
        var entries = Chain(random, 5);
        var forged = ExportVerifier.Verify(Export(entries, other), Jwks(key));
        Assert.Contains("does not verify", forged.Problem, StringComparison.Ordinal);

        var anchors = AnchorsOf(entries, key, random);
        anchors[^1] = anchors[^1] with { EngineSeq = 4, EngineHash = entries[3].Hash };
        var changed = ExportVerifier.Verify(new ExportContent(entries, anchors, 0, "t1"), Jwks(key));
        Assert.Contains("differ from what was signed", changed.Problem, StringComparison.Ordinal);
    }

    // A chain whose first entries may be format 1 (an engine before format 2 wrote them) and whose last one is format 2.
    private static List<ExportEntry> Chain(Random random, int count)
    {
        var entries = new List<ExportEntry>();
        var firstOfFormat2 = random.Next(1, count + 1);
        for (var i = 1; i <= count; i++)
        {
            entries.Add(Entry(i, i == 1 ? Zero : entries[^1].Hash, random, i >= firstOfFormat2 ? 2 : 1));
        }

        return entries;
    }

    private static ExportEntry Entry(long seq, string prevHash, Random random, int format = 2)
    {
        var operations = new[] { "points.upsert", "points.delete", "collections.create" };
        var entry = new ExportEntry((int)seq, seq, new DateTimeOffset(2026, 12, 6, 0, 0, 0, TimeSpan.Zero).AddTicks(seq * 10_000_019 + random.Next(1000)),
            $"key:{random.Next(5)}", operations[random.Next(operations.Length)], random.Next(4) == 0 ? null : $"c{random.Next(3)}",
            random.Next(5) == 0 ? "error:400" : "ok", random.Next(3) == 0 ? null : $"req-{random.Next()}", prevHash, string.Empty,
            format == 2 && random.Next(4) != 0 ? random.Next(1, 1_000_000) : null, format == 2 && random.Next(4) != 0 ? random.Next(0, 500) : null, format);
        return entry with { Hash = entry.ComputeHash()! };
    }

    private static ExportContent Export(List<ExportEntry> entries, RSA key) =>
        new(entries, AnchorsOf(entries, key, new Random(1)), 0, "t1");

    // Anchors at a few random entries and always at the head, as the export carries them.
    private static List<ExportAnchor> AnchorsOf(List<ExportEntry> entries, RSA key, Random random)
    {
        var picked = Enumerable.Range(0, random.Next(0, 3)).Select(_ => entries[random.Next(entries.Count)]).Append(entries[^1]).OrderBy(e => e.Seq);
        return [.. picked.Select(e => Sign(key, e.Seq, e.Hash, e.Time.AddSeconds(1)))];
    }

    private static ExportAnchor Sign(RSA key, long seq, string hash, DateTimeOffset at)
    {
        var header = B64(JsonSerializer.SerializeToUtf8Bytes(new { alg = "RS256", kid = "k1", typ = AnchorSignature.Type }));
        var payload = B64(JsonSerializer.SerializeToUtf8Bytes(new { tenant_id = "t1", engine_seq = seq, engine_hash = hash, signed_at = at }));
        var signature = key.SignData(Encoding.ASCII.GetBytes(header + "." + payload), HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1);
        return new ExportAnchor(0, "t1", seq, hash, at, $"{header}.{payload}.{B64(signature)}");
    }

    private static AnchorSignature Jwks(RSA key)
    {
        var p = key.ExportParameters(false);
        return new AnchorSignature(JsonSerializer.Serialize(new { keys = new[] { new { kty = "RSA", kid = "k1", n = B64(p.Modulus!), e = B64(p.Exponent!) } } }));
    }

    private static string B64(byte[] bytes) => Convert.ToBase64String(bytes).TrimEnd('=').Replace('+', '-').Replace('/', '_');
}
