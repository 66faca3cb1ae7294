namespace Piramid.Audit.Cli;

/// <summary>
/// Verifies the control plane's hash chain in an export (docs/AUDIT.md): the chained control events run 1, 2, 3, ...
/// with no gap (from 1 unless the export is partial), each links to the previous one's hash and matches its own; an
/// unchained event is allowed only for refusal counts (<c>auth.failed*</c>) or before the chain began; and each
/// anchor's control head is in the export with the anchored hash, or before its range.
/// </summary>
public static class ControlChainVerifier
{
    private static readonly string Zero = new('0', 64);

    /// <summary>Null when the chain and the anchors' control heads hold; else the first bad event.</summary>
    public static ExportVerification? Verify(IReadOnlyList<ControlEntry> events, IReadOnlyList<ExportAnchor> anchors, bool partial, out string summary)
    {
        ArgumentNullException.ThrowIfNull(events);
        ArgumentNullException.ThrowIfNull(anchors);
        var chained = new List<ControlEntry>();
        var unchained = 0;
        foreach (var e in events)
        {
            if (e.Hash is not null)
            {
                chained.Add(e);
                continue;
            }

            if (e.IsChainedAction && chained.Count > 0)
            {
                var next = chained[^1].Seq + 1;
                summary = string.Empty;
                return Bad(next, e.Line, $"control event on line {e.Line} ({e.Action}) carries no hash after the chain began: it was inserted or its hash removed");
            }

            unchained++;
        }

        summary = chained.Count == 0
            ? $"{unchained} control-plane events not chained"
            : $"{chained.Count} control-plane events (seq {chained[0].Seq}..{chained[^1].Seq}) chained, {unchained} not chained";
        if (!partial && chained.Count > 0 && chained[0].Seq != 1)
        {
            return Bad(1, chained[0].Line, $"the control chain starts at event {chained[0].Seq} (line {chained[0].Line}): the events before it are missing " +
                "(verify an export of a time range with --partial)");
        }

        var hashes = new Dictionary<long, string>();
        for (var i = 0; i < chained.Count; i++)
        {
            var e = chained[i];
            if (i > 0 && e.Seq != chained[i - 1].Seq + 1)
            {
                var expected = chained[i - 1].Seq + 1;
                return e.Seq > expected
                    ? Bad(expected, e.Line, $"control event {expected} is missing (line {e.Line} holds control event {e.Seq}): events were removed")
                    : Bad(e.Seq, e.Line, $"line {e.Line} holds control event {e.Seq} where control event {expected} belongs: an event was inserted or the events reordered");
            }

            var link = i > 0 ? chained[i - 1].Hash : e.Seq == 1 ? Zero : null;
            if (link is not null && !string.Equals(e.PrevHash, link, StringComparison.OrdinalIgnoreCase))
            {
                return Bad(e.Seq, e.Line, $"control event {e.Seq} (line {e.Line}) does not link to the previous event's hash: an event before it was replaced or inserted");
            }

            if (!string.Equals(e.ComputeHash(), e.Hash, StringComparison.OrdinalIgnoreCase))
            {
                return Bad(e.Seq, e.Line, $"control event {e.Seq} (line {e.Line}) does not match its hash: it was edited");
            }

            hashes[e.Seq] = e.Hash!;
        }

        if (events.Count == 0)
        {
            // An export of the engine's entries alone (source=data): the anchors' control heads have nothing to name.
            summary = "no control-plane events (their chain not checked)";
            return null;
        }

        var first = chained.Count > 0 ? chained[0].Seq : 0;
        var last = chained.Count > 0 ? chained[^1].Seq : 0;
        foreach (var anchor in anchors)
        {
            if (anchor.ControlSeq is not { } seq || seq == 0)
            {
                continue;
            }

            if (seq > last)
            {
                return Bad(last + 1, anchor.Line,
                    $"the anchor on line {anchor.Line}, signed {anchor.SignedAt:O}, names control event {seq}, but the export ends at control event {last}: " +
                    "its newest control events were removed");
            }

            if (seq >= first && !string.Equals(hashes[seq], anchor.ControlHash, StringComparison.OrdinalIgnoreCase))
            {
                return Bad(seq, anchor.Line,
                    $"control event {seq} does not have the hash anchored on line {anchor.Line} (signed {anchor.SignedAt:O}): " +
                    "the chain was recomputed after an edit at or before it");
            }
        }

        return null;

        static ExportVerification Bad(long seq, int line, string problem) => new(false, seq, line, problem, problem, "control");
    }
}
