using System.Runtime.InteropServices;

namespace Piramid.Engine.Filtering.Indexes;

internal sealed partial class MetadataIndexes
{
    /// <summary>
    /// An upper bound on the number of points <paramref name="filter"/> matches, or null when its structure
    /// cannot be bounded from the indexes. Exact for a single equality, $in on a scalar field, or range.
    /// </summary>
    public long? Estimate(CompiledFilter filter)
    {
        ArgumentNullException.ThrowIfNull(filter);
        return _fields.Count == 0 ? null : Estimate(filter.Root, out _);
    }

    /// <summary>
    /// Clears <paramref name="slots"/> and fills it with a superset of the matching slots, ascending and without
    /// duplicates; false (and empty) when <see cref="Estimate"/> is null. Callers re-check each candidate with
    /// <see cref="CompiledFilter.Matches"/>.
    /// </summary>
    public bool TryCollect(CompiledFilter filter, List<int> slots)
    {
        ArgumentNullException.ThrowIfNull(filter);
        ArgumentNullException.ThrowIfNull(slots);
        slots.Clear();
        if (_fields.Count == 0 || !Collect(filter.Root, slots))
        {
            slots.Clear();
            return false;
        }

        SortAndDeduplicate(slots);
        return true;
    }

    // For an AND, cheapest is the index of the child with the smallest estimate; -1 otherwise.
    private long? Estimate(FilterNode node, out int cheapest)
    {
        cheapest = -1;
        switch (node)
        {
            case FieldNode field:
                return _byPath.TryGetValue(field.Path.Text, out var index) ? index.Estimate(field.Conditions) : null;
            case AndNode and:
                long? best = null;
                var children = and.Children;
                for (var i = 0; i < children.Length; i++)
                {
                    // A child without an estimate only narrows the result further, so it is ignored.
                    if (Estimate(children[i], out _) is { } estimate && (best is null || estimate < best))
                    {
                        best = estimate;
                        cheapest = i;
                    }
                }

                return best;
            case OrNode or:
                long sum = 0;
                foreach (var child in or.Children)
                {
                    if (Estimate(child, out _) is not { } estimate)
                    {
                        return null;
                    }

                    sum += estimate;
                }

                return sum;
            default:
                // $not could only be bounded by the point count minus a lower bound, which no index keeps;
                // {} matches every point, which no index enumerates.
                return ReferenceEquals(node, ConstantNode.False) ? 0 : null;
        }
    }

    private bool Collect(FilterNode node, List<int> slots)
    {
        switch (node)
        {
            case FieldNode field:
                return _byPath.TryGetValue(field.Path.Text, out var index) && index.TryCollect(field.Conditions, slots);
            case AndNode and:
                return Estimate(and, out var cheapest) is not null && Collect(and.Children[cheapest], slots);
            case OrNode or:
                foreach (var child in or.Children)
                {
                    if (!Collect(child, slots))
                    {
                        return false;
                    }
                }

                return true;
            default:
                return ReferenceEquals(node, ConstantNode.False);
        }
    }

    // Children of an OR, values of an $in and array-valued points all repeat slots; one sort removes them.
    private static void SortAndDeduplicate(List<int> slots)
    {
        var span = CollectionsMarshal.AsSpan(slots);
        var sorted = true;
        for (var i = 1; i < span.Length && sorted; i++)
        {
            sorted = span[i - 1] < span[i];
        }

        if (sorted)
        {
            return;
        }

        span.Sort();
        var count = span.Length == 0 ? 0 : 1;
        for (var i = 1; i < span.Length; i++)
        {
            if (span[i] != span[count - 1])
            {
                span[count++] = span[i];
            }
        }

        slots.RemoveRange(count, slots.Count - count);
    }
}
