using System.Text.Json.Nodes;

namespace Piramid.TestKit.Processes.KillSoak;

/// <summary>
/// Compares what a restarted engine serves with the lanes' models. A point must be exactly one state
/// the model allows: the last acknowledged one, or the unacknowledged write's for every id of that write
/// or for none. Anything else (a lost write, a resurrected delete, one version's vector with another's
/// metadata, a batch half applied) is a violation.
/// </summary>
internal static class SoakVerifier
{
    /// <summary>Checks every id the lane wrote this round and <paramref name="sample"/> older ids, then settles the lane.</summary>
    public static async Task CheckRoundAsync(SoakApi api, SoakLane lane, int dimension, Random random, int sample, string where, KillSoakResult result)
    {
        var sampled = lane.Sample(random, sample);
        var ids = lane.Touched.Concat(sampled).ToList();
        var stored = await api.GetManyAsync(lane.Collection.Name, ids);
        var pending = lane.Pending;
        var pendingIndex = new Dictionary<string, int>(StringComparer.Ordinal);
        for (var i = 0; pending is not null && i < pending.Ids.Count; i++)
        {
            pendingIndex[pending.Ids[i]] = i;
        }

        int applied = 0, notApplied = 0;
        foreach (var id in ids)
        {
            var node = stored.GetValueOrDefault(id);
            var expected = lane.Expected(id);
            PointState? alternative = pending is not null && pendingIndex.TryGetValue(id, out var index) ? pending.EffectOn(index) : null;
            if (alternative == expected)
            {
                alternative = null; // e.g. deleting an id already absent: no visible effect either way.
            }

            if (Matches(lane, id, expected, node, dimension))
            {
                notApplied += alternative is null ? 0 : 1;
            }
            else if (alternative is { } alt && Matches(lane, id, alt, node, dimension))
            {
                applied++;
            }
            else
            {
                var allowed = alternative is { } a ? $"{expected} or {a} (unacknowledged)" : expected.ToString();
                result.AddViolation($"{where}: {lane.Collection.Name}/{id} must be {allowed}, found {Describe(lane, node, dimension)}");
            }
        }

        if (pending is not null)
        {
            if (applied > 0 && notApplied > 0)
            {
                result.AddViolation($"{where}: unacknowledged {pending} in {lane.Collection.Name} is half applied: {applied} of {applied + notApplied} points changed");
            }

            result.CountUnknown(applied > 0 && notApplied == 0);
        }

        result.CountAcknowledged(lane.AcknowledgedUpserts, lane.AcknowledgedDeletes);
        result.CountChecked(ids.Count, sampled.Count);
        lane.Settle(pendingApplied: applied > 0 && notApplied == 0);
    }

    /// <summary>Scrolls a whole collection: every id of its lanes as the model says, and no other point. Returns the points stored.</summary>
    public static async Task<int> CheckAllAsync(SoakApi api, SoakCollection collection, IReadOnlyList<SoakLane> lanes, int dimension, string where, KillSoakResult result)
    {
        var stored = await api.ScrollAllAsync(collection.Name);
        var known = new HashSet<string>(StringComparer.Ordinal);
        foreach (var lane in lanes)
        {
            foreach (var id in lane.Ids)
            {
                known.Add(id);
                var expected = lane.Expected(id);
                var node = stored.GetValueOrDefault(id);
                if (!Matches(lane, id, expected, node, dimension))
                {
                    result.AddViolation($"{where}: {collection.Name}/{id} must be {expected}, found {Describe(lane, node, dimension)}");
                }
            }

            result.CountChecked(lane.Ids.Count, 0);
        }

        foreach (var id in stored.Keys.Where(id => !known.Contains(id)))
        {
            result.AddViolation($"{where}: {collection.Name} holds {id}, which no lane ever wrote");
        }

        return stored.Count;
    }

    private static bool Matches(SoakLane lane, string id, PointState state, JsonNode? node, int dimension)
    {
        if (state.IsAbsent || node is null)
        {
            return state.IsAbsent && node is null;
        }

        return SameBits(lane.VectorOf(state, dimension), node["vector"])
            && JsonNode.DeepEquals(SoakPointContent.Metadata(id, state), node["metadata"]);
    }

    private static bool SameBits(float[] expected, JsonNode? vector)
    {
        if (vector is not JsonArray array || array.Count != expected.Length)
        {
            return false;
        }

        for (var d = 0; d < expected.Length; d++)
        {
            if (BitConverter.SingleToInt32Bits(array[d]!.GetValue<float>()) != BitConverter.SingleToInt32Bits(expected[d]))
            {
                return false;
            }
        }

        return true;
    }

    private static string Describe(SoakLane lane, JsonNode? node, int dimension)
    {
        if (node is null)
        {
            return "absent";
        }

        var metadata = node["metadata"];
        if (metadata?["v"] is not JsonValue v || !v.TryGetValue<long>(out var version))
        {
            return $"a point without a version: {node.ToJsonString()}";
        }

        var claimed = new PointState(version, metadata["batch"]?.GetValue<string>());
        var vectorMatches = SameBits(lane.VectorOf(claimed, dimension), node["vector"]);
        return $"metadata of {claimed} with {(vectorMatches ? "its" : "another")} vector";
    }
}
