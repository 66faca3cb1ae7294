using System.Diagnostics;
using System.Text.Json;

namespace Piramid.Engine.Filtering.Indexes;

/// <summary>
/// The index of a field the schema does not declare, made when a point first holds it. Such a field may hold
/// strings in one point, numbers in another and booleans in a third, so it keeps all three kinds of index side by
/// side; each one indexes only the values of its own type and answers only operands of that type, which are the
/// only values such an operand can match (the filter never compares across types). A field node is answered by
/// the part with the smallest estimate.
/// </summary>
internal sealed class AutoFieldIndex(FieldPath path) : FieldIndex(path)
{
    private readonly KeywordIndex _keywords = new(path);
    private readonly NumericIndex _numbers = new(path);
    private readonly BooleanIndex _booleans = new(path);

    public override void Add(int slot, JsonElement value)
    {
        _keywords.Add(slot, value);
        _numbers.Add(slot, value);
        _booleans.Add(slot, value);
    }

    public override void Remove(int slot, JsonElement value)
    {
        _keywords.Remove(slot, value);
        _numbers.Remove(slot, value);
        _booleans.Remove(slot, value);
    }

    public override long? Estimate(ReadOnlySpan<FieldCondition> conditions) => Cheapest(conditions, out _);

    public override bool TryCollect(ReadOnlySpan<FieldCondition> conditions, List<int> slots) =>
        Cheapest(conditions, out var part) is not null && part!.TryCollect(conditions, slots);

    // Only the parts' own field-node entry points are used; these per-condition hooks are never reached.
    protected override long? EstimateCondition(FieldCondition condition) => throw new UnreachableException();

    protected override void CollectCondition(FieldCondition condition, List<int> slots) => throw new UnreachableException();

    // The conditions are AND-ed, so any part's bound is a bound of the node; the smallest is the one to enumerate.
    private long? Cheapest(ReadOnlySpan<FieldCondition> conditions, out FieldIndex? part)
    {
        long? best = null;
        part = null;
        foreach (var candidate in (ReadOnlySpan<FieldIndex>)[_keywords, _numbers, _booleans])
        {
            if (candidate.Estimate(conditions) is { } estimate && (best is null || estimate < best))
            {
                best = estimate;
                part = candidate;
            }
        }

        return best;
    }
}
