using System.Globalization;

namespace Piramid.Audit.Cli;

/// <summary>
/// Verifies an audit export (docs/AUDIT.md): the engine entries form one hash chain, in sequence order with no gap
/// (entry 1 links to 32 zero bytes); each entry's hash matches its content; every anchor is signed by a key of the
/// JWKS and names an entry of the export with the same hash; then the control plane's chain
/// (<see cref="ControlChainVerifier"/>). Reports the first bad entry.
/// </summary>
public static class ExportVerifier
{
    private static readonly string Zero = new('0', 64);

    /// <summary>Checks <paramref name="content"/> with the keys of <paramref name="signatures"/>.</summary>
    /// <param name="content">The export.</param>
    /// <param name="signatures">The platform's keys.</param>
    /// <param name="partial">True for an export of a time range (<c>from</c>): its chain may start after entry 1.</param>
    public static ExportVerification Verify(ExportContent content, AnchorSignature signatures, bool partial = false)
    {
        ArgumentNullException.ThrowIfNull(content);
        ArgumentNullException.ThrowIfNull(signatures);
        var entries = content.Entries;
        if (!partial && entries.Count > 0 && entries[0].Seq != 1)
        {
            return Bad(1, entries[0].Line, $"the export starts at entry {entries[0].Seq} (line {entries[0].Line}): the entries before it are missing " +
                "(verify an export of a time range with --partial)");
        }

        var hashes = new Dictionary<long, string>();
        for (var i = 0; i < entries.Count; i++)
        {
            var e = entries[i];
            if (i > 0 && e.Seq != entries[i - 1].Seq + 1)
            {
                var expected = entries[i - 1].Seq + 1;
                return e.Seq > expected
                    ? Bad(expected, e.Line, $"entry {expected} is missing (line {e.Line} holds entry {e.Seq}): entries were removed")
                    : Bad(e.Seq, e.Line, $"line {e.Line} holds entry {e.Seq} where entry {expected} belongs: an entry was inserted or the entries reordered");
            }

            var link = i > 0 ? entries[i - 1].Hash : e.Seq == 1 ? Zero : null;
            if (link is not null && !string.Equals(e.PrevHash, link, StringComparison.OrdinalIgnoreCase))
            {
                return Bad(e.Seq, e.Line, $"entry {e.Seq} (line {e.Line}) does not link to the previous entry's hash: an entry before it was replaced or inserted");
            }

            if (!string.Equals(e.ComputeHash(), e.Hash, StringComparison.OrdinalIgnoreCase))
            {
                return Bad(e.Seq, e.Line, $"entry {e.Seq} (line {e.Line}) does not match its hash: it was edited");
            }

            hashes[e.Seq] = e.Hash;
        }

        var first = entries.Count > 0 ? entries[0].Seq : 0;
        var last = entries.Count > 0 ? entries[^1].Seq : 0;
        var covered = 0;
        foreach (var anchor in content.Anchors)
        {
            if (signatures.Check(anchor) is { } problem)
            {
                return Bad(anchor.EngineSeq, anchor.Line, $"the anchor on line {anchor.Line} (entry {anchor.EngineSeq}): {problem}");
            }

            if (content.TenantId is { } tenant && anchor.TenantId != tenant)
            {
                return Bad(anchor.EngineSeq, anchor.Line, $"the anchor on line {anchor.Line} is for tenant '{anchor.TenantId}', the export for '{tenant}'");
            }

            if (anchor.EngineSeq > last)
            {
                return Bad(last + 1, anchor.Line,
                    $"the anchor on line {anchor.Line}, signed {anchor.SignedAt:O}, names entry {anchor.EngineSeq}, but the export ends at entry {last}: " +
                    "its newest entries were removed");
            }

            if (anchor.EngineSeq == 0 || anchor.EngineSeq < first)
            {
                continue; // before the exported range: nothing here to compare
            }

            if (!string.Equals(hashes[anchor.EngineSeq], anchor.EngineHash, StringComparison.OrdinalIgnoreCase))
            {
                return Bad(anchor.EngineSeq, anchor.Line,
                    $"entry {anchor.EngineSeq} does not have the hash anchored on line {anchor.Line} (signed {anchor.SignedAt:O}): " +
                    "the chain was recomputed after an edit at or before it");
            }

            covered++;
        }

        var control = $"{content.ControlEvents} control-plane events";
        if (content.Control is { } events)
        {
            if (ControlChainVerifier.Verify(events, content.Anchors, partial, out control) is { } bad)
            {
                return bad;
            }
        }

        var range = entries.Count == 0 ? "no engine entries" : string.Create(CultureInfo.InvariantCulture, $"{entries.Count} engine entries (seq {first}..{last}) chained");
        var newest = content.Anchors.Count == 0 ? "no anchor" : $"{covered} of {content.Anchors.Count} anchors verified (newest: entry {content.Anchors[^1].EngineSeq}, signed {content.Anchors[^1].SignedAt:O})";
        return new ExportVerification(true, null, null, null, $"{control}; {range}; {newest}");

        ExportVerification Bad(long seq, int line, string problem) => new(false, seq, line, problem, problem);
    }
}
