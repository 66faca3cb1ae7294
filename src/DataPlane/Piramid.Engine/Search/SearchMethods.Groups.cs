using System.Text.Json;
using Piramid.Contracts;
using Piramid.Engine.Collections;
using Piramid.Engine.Queries;

namespace Piramid.Engine.Search;

/// <summary>
/// Grouped search. A point joins the group of its field's value; when the value is an array, the group of each
/// distinct scalar in it (so one point may appear in several groups, as in Qdrant). Objects, nested arrays and
/// nulls, alone or inside an array, form no group.
/// </summary>
public static partial class SearchMethods
{
    private const int DefaultGroupSize = 3;
    private const int DefaultGroups = 10;

    /// <summary>The best <c>group_size</c> points for each of the best <c>limit</c> values of a metadata field.</summary>
    public static IReadOnlyList<PointGroup> Groups(Collection collection, GroupQuery request)
    {
        ArgumentNullException.ThrowIfNull(collection);
        ArgumentNullException.ThrowIfNull(request);
        var path = request.GroupBy;
        if (string.IsNullOrWhiteSpace(path) || path.Split('.').Any(string.IsNullOrEmpty))
        {
            throw EngineException.Invalid("'group_by' must name a metadata field, e.g. \"author\" or \"author.name\".");
        }

        var groupSize = request.GroupSize ?? DefaultGroupSize;
        var limit = request.Limit ?? DefaultGroups;
        if (groupSize < 1 || groupSize > Limits.MaxGroups)
        {
            throw EngineException.Invalid($"'group_size' must be between 1 and {Limits.MaxGroups}; got {groupSize}.");
        }

        if (limit < 1 || limit > Limits.MaxGroups)
        {
            throw EngineException.Invalid($"'limit' must be between 1 and {Limits.MaxGroups}; got {limit}.");
        }

        var includeVector = request.IncludeVector ?? false;
        if (includeVector)
        {
            collection.CheckVectorsPerAnswer((long)limit * groupSize, "limit × group_size");
        }

        var vector = collection.CheckVector(request.Vector, "vector");
        var segments = path.Split('.');
        var includeMetadata = request.IncludeMetadata ?? true;
        // Ask for more candidates until the groups are full or the collection has nothing more to give.
        for (var candidates = Math.Min(Limits.MaxTopK, limit * groupSize * 4); ; candidates = Math.Min(Limits.MaxTopK, candidates * 4))
        {
            var found = collection.Search(new SearchQuery
            {
                Vector = vector,
                TopK = candidates,
                Filter = request.Filter,
                Ef = request.Ef,
                ScoreThreshold = request.ScoreThreshold,
                IncludeMetadata = true,
            });
            var (groups, full) = Collect(found, segments, groupSize, limit, includeMetadata);
            if (full || found.Count < candidates || candidates == Limits.MaxTopK)
            {
                // The candidates are many more than the answer: only the answer's vectors are read.
                return includeVector ? AttachVectors(collection, groups) : groups;
            }
        }
    }

    private static (List<PointGroup> Groups, bool Full) Collect(
        IReadOnlyList<ScoredPoint> results, string[] path, int groupSize, int limit, bool includeMetadata)
    {
        var groups = new List<PointGroup>();
        var members = new Dictionary<string, List<ScoredPoint>>(StringComparer.Ordinal);
        var values = new List<JsonElement>();
        var seen = new HashSet<string>(StringComparer.Ordinal);
        foreach (var result in results)
        {
            if (result.Metadata is not { } metadata)
            {
                continue;
            }

            GroupValues(metadata, path, values, seen);
            var member = includeMetadata ? result : result with { Metadata = null };
            foreach (var value in values)
            {
                var key = value.GetRawText();
                if (!members.TryGetValue(key, out var list))
                {
                    if (groups.Count == limit)
                    {
                        continue;
                    }

                    list = members[key] = [];
                    groups.Add(new PointGroup(value.Clone(), list));
                }

                if (list.Count < groupSize)
                {
                    list.Add(member);
                }
            }
        }

        var full = groups.Count == limit && groups.All(g => g.Points.Count == groupSize);
        return (groups, full);
    }

    private static List<PointGroup> AttachVectors(Collection collection, List<PointGroup> groups)
    {
        var vectors = collection.VectorsOf(groups.SelectMany(g => g.Points).Select(r => r.Id).Distinct(StringComparer.Ordinal));
        // A point deleted since the search is left out, as if the search had run after the delete.
        return [.. groups.Select(g => g with
        {
            Points = [.. g.Points.Where(r => vectors.ContainsKey(r.Id)).Select(r => r with { Vector = vectors[r.Id] })],
        })];
    }

    /// <summary>
    /// The distinct scalar values the field at <paramref name="path"/> holds (into <paramref name="values"/>, in
    /// order of first appearance): one for a scalar, each distinct scalar element for an array, none otherwise.
    /// Distinct means the same JSON text, the key groups are matched by.
    /// </summary>
    internal static void GroupValues(JsonElement metadata, string[] path, List<JsonElement> values, HashSet<string> seen)
    {
        values.Clear();
        seen.Clear();
        var value = metadata;
        foreach (var segment in path)
        {
            if (value.ValueKind != JsonValueKind.Object || !value.TryGetProperty(segment, out value))
            {
                return;
            }
        }

        if (IsGroupScalar(value))
        {
            values.Add(value);
            return;
        }

        if (value.ValueKind != JsonValueKind.Array)
        {
            return;
        }

        foreach (var item in value.EnumerateArray())
        {
            if (IsGroupScalar(item) && seen.Add(item.GetRawText()))
            {
                values.Add(item);
            }
        }
    }

    private static bool IsGroupScalar(JsonElement value) =>
        value.ValueKind is JsonValueKind.String or JsonValueKind.Number or JsonValueKind.True or JsonValueKind.False;
}
