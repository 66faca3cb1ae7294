using System.Text.Json;

namespace Piramid.Engine.Filtering.Indexes;

/// <summary>
/// Integer or float field: one sorted set of (value, slot) entries, so a range count is a few binary searches
/// and a range enumeration a contiguous walk. Both types are keyed by double because the filter compares
/// numbers as doubles; a fractional number in an integer field is still indexed, so ranges stay supersets.
/// Per point: 12 bytes per distinct number it holds.
/// </summary>
/// <remarks>
/// Chosen over a SortedDictionary of value to slot list, which costs an object per distinct value (every point,
/// for floats) and a tree walk to count a range.
/// </remarks>
internal sealed class NumericIndex(FieldPath path) : FieldIndex(path)
{
    private readonly SortedEntrySet<NumericEntry> _entries = new();

    // Slots holding two or more distinct numbers. While there are none, a value satisfies every condition of a
    // field node exactly when it lies in their intersection, so {"$gte": a, "$lt": b} is counted exactly; with
    // arrays each condition may be met by a different element, and only the cheapest condition bounds it.
    private int _multiValuedSlots;

    public override void Add(int slot, JsonElement value)
    {
        if (Update(slot, value, add: true) > 1)
        {
            _multiValuedSlots++;
        }
    }

    public override void Remove(int slot, JsonElement value)
    {
        if (Update(slot, value, add: false) > 1)
        {
            _multiValuedSlots--;
        }
    }

    public override long? Estimate(ReadOnlySpan<FieldCondition> conditions) => Plan(conditions, out _, out _, out _);

    public override bool TryCollect(ReadOnlySpan<FieldCondition> conditions, List<int> slots)
    {
        if (Plan(conditions, out var low, out var high, out var cheapest) is null)
        {
            return false;
        }

        if (cheapest is null)
        {
            CollectInterval(low, high, slots);
        }
        else
        {
            CollectCondition(cheapest, slots);
        }

        return true;
    }

    protected override long? EstimateCondition(FieldCondition condition)
    {
        if (TryGetInterval(condition, out var low, out var high))
        {
            return CountInterval(low, high);
        }

        if (!IsNumericMembership(condition, out var operands))
        {
            return null;
        }

        long sum = 0;
        foreach (var operand in operands)
        {
            sum += CountInterval(operand.Number, operand.Number);
        }

        return sum;
    }

    protected override void CollectCondition(FieldCondition condition, List<int> slots)
    {
        if (TryGetInterval(condition, out var low, out var high))
        {
            CollectInterval(low, high, slots);
            return;
        }

        IsNumericMembership(condition, out var operands);
        foreach (var operand in operands)
        {
            CollectInterval(operand.Number, operand.Number, slots);
        }
    }

    // Picks what to enumerate: the intersection of the interval conditions when that is exact (see
    // _multiValuedSlots), else the single cheapest condition (returned in cheapest).
    private long? Plan(ReadOnlySpan<FieldCondition> conditions, out double low, out double high, out FieldCondition? cheapest)
    {
        low = double.NegativeInfinity;
        high = double.PositiveInfinity;
        cheapest = null;
        long? best = null;
        var intersected = false;
        foreach (var condition in conditions)
        {
            if (_multiValuedSlots == 0 && TryGetInterval(condition, out var l, out var h))
            {
                low = Math.Max(low, l);
                high = Math.Min(high, h);
                intersected = true;
            }
            else if (EstimateCondition(condition) is { } estimate && (best is null || estimate < best))
            {
                best = estimate;
                cheapest = condition;
            }
        }

        if (intersected && CountInterval(low, high) is var count && (best is null || count <= best))
        {
            best = count;
            cheapest = null;
        }

        return best;
    }

    private int CountInterval(double low, double high) =>
        low > high ? 0 : _entries.CountRange(NumericEntry.LowerBound(low), NumericEntry.UpperBound(high));

    private void CollectInterval(double low, double high, List<int> slots)
    {
        if (low <= high)
        {
            _entries.CollectRange(NumericEntry.LowerBound(low), NumericEntry.UpperBound(high), slots);
        }
    }

    // A range or a single-number $eq as a closed interval. Strict bounds step to the adjacent double, which is
    // exact: no double lies strictly between v and its neighbour. Ranges on strings match only strings, which
    // are not indexed here, so they are not answerable.
    private static bool TryGetInterval(FieldCondition condition, out double low, out double high)
    {
        low = double.NegativeInfinity;
        high = double.PositiveInfinity;
        switch (condition)
        {
            case RangeCondition range when range.Operand.Kind == JsonValueKind.Number:
                var bound = range.Operand.Number;
                switch (range.Operator)
                {
                    case RangeOperator.GreaterThan: low = Math.BitIncrement(bound); break;
                    case RangeOperator.GreaterThanOrEqual: low = bound; break;
                    case RangeOperator.LessThan: high = Math.BitDecrement(bound); break;
                    default: high = bound; break;
                }

                return true;
            case MembershipCondition { Negated: false, Operands: [{ Kind: JsonValueKind.Number } operand] }:
                low = high = operand.Number;
                return true;
            default:
                return false;
        }
    }

    private static bool IsNumericMembership(FieldCondition condition, out ReadOnlySpan<FilterOperand> operands)
    {
        operands = default;
        if (condition is not MembershipCondition { Negated: false } membership)
        {
            return false;
        }

        foreach (var operand in membership.Operands)
        {
            if (operand.Kind != JsonValueKind.Number)
            {
                return false;
            }
        }

        operands = membership.Operands;
        return true;
    }

    // Returns how many entries changed, so Add and Remove can track multi-valued slots symmetrically.
    private int Update(int slot, JsonElement value, bool add)
    {
        if (value.ValueKind != JsonValueKind.Array)
        {
            return UpdateScalar(slot, value, add) ? 1 : 0;
        }

        var changed = 0;
        foreach (var element in value.EnumerateArray())
        {
            changed += UpdateScalar(slot, element, add) ? 1 : 0;
        }

        return changed;
    }

    private bool UpdateScalar(int slot, JsonElement value, bool add)
    {
        if (value.ValueKind != JsonValueKind.Number || !value.TryGetDouble(out var number) || !double.IsFinite(number))
        {
            return false;
        }

        var entry = new NumericEntry(number, slot);
        return add ? _entries.Add(entry) : _entries.Remove(entry);
    }
}
