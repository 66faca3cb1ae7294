using System.Text.Json;

namespace Piramid.Engine.Filtering.Indexes;

/// <summary>
/// The index of one schema field. It answers a field node (its AND-ed conditions) with an upper bound on the
/// matching points and can enumerate a superset of them; a condition it cannot answer yields null.
/// </summary>
internal abstract class FieldIndex(FieldPath path)
{
    /// <summary>The indexed field, resolved exactly as a filter resolves it.</summary>
    public FieldPath Path { get; } = path;

    /// <summary>Indexes the field's present value (possibly null or an array) for <paramref name="slot"/>.</summary>
    public abstract void Add(int slot, JsonElement value);

    /// <summary>Removes what <see cref="Add"/> indexed for the same slot and value.</summary>
    public abstract void Remove(int slot, JsonElement value);

    /// <summary>
    /// An upper bound on the points matching all <paramref name="conditions"/>: the smallest estimate among
    /// the conditions that have one (AND), or null when none has.
    /// </summary>
    public virtual long? Estimate(ReadOnlySpan<FieldCondition> conditions) => Cheapest(conditions, out _);

    /// <summary>Appends a superset of the matching slots (enumerating the cheapest condition); false when not estimable.</summary>
    public virtual bool TryCollect(ReadOnlySpan<FieldCondition> conditions, List<int> slots)
    {
        if (Cheapest(conditions, out var cheapest) is null)
        {
            return false;
        }

        CollectCondition(cheapest!, slots);
        return true;
    }

    /// <summary>An upper bound for one condition, exact for a single equality or range; null when not answerable.</summary>
    protected abstract long? EstimateCondition(FieldCondition condition);

    /// <summary>Appends the slots matching one condition; called only when <see cref="EstimateCondition"/> answered.</summary>
    protected abstract void CollectCondition(FieldCondition condition, List<int> slots);

    private long? Cheapest(ReadOnlySpan<FieldCondition> conditions, out FieldCondition? cheapest)
    {
        long? best = null;
        cheapest = null;
        foreach (var condition in conditions)
        {
            if (EstimateCondition(condition) is { } estimate && (best is null || estimate < best))
            {
                best = estimate;
                cheapest = condition;
            }
        }

        return best;
    }
}
