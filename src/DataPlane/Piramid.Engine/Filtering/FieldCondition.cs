using System.Text.Json;

namespace Piramid.Engine.Filtering;

/// <summary>
/// One operator applied to one field's value. When the value is an array, positive operators match if any
/// element matches and negated ones ($ne, $nin) match if no element does (Mongo semantics).
/// </summary>
internal abstract class FieldCondition
{
    /// <summary>The answer when the field is absent.</summary>
    public abstract bool MatchesMissing { get; }

    /// <summary>Evaluates the condition against the field's present value (which may be JSON null).</summary>
    public abstract bool Matches(JsonElement value);

    /// <summary>True when the value, or any element of it if it is an array, is equal to one of the operands.</summary>
    protected static bool AnyEquals(JsonElement value, FilterOperand[] operands)
    {
        if (value.ValueKind == JsonValueKind.Array)
        {
            foreach (var element in value.EnumerateArray())
            {
                if (EqualsAny(element, operands))
                {
                    return true;
                }
            }

            return false;
        }

        return EqualsAny(value, operands);
    }

    private static bool EqualsAny(JsonElement value, FilterOperand[] operands)
    {
        foreach (var operand in operands)
        {
            if (operand.EqualsValue(value))
            {
                return true;
            }
        }

        return false;
    }
}

/// <summary>$eq and $in (a single operand is $eq); $ne and $nin when negated.</summary>
internal sealed class MembershipCondition(FilterOperand[] operands, bool negated) : FieldCondition
{
    /// <summary>The listed values ($eq has one); callers must not modify the array.</summary>
    public ReadOnlySpan<FilterOperand> Operands => operands;

    /// <summary>True for $ne and $nin.</summary>
    public bool Negated => negated;

    public override bool MatchesMissing => negated;

    public override bool Matches(JsonElement value) => AnyEquals(value, operands) != negated;
}

/// <summary>$gt, $gte, $lt, $lte: numbers against numbers, strings against strings.</summary>
internal sealed class RangeCondition(FilterOperand operand, RangeOperator op) : FieldCondition
{
    /// <summary>The bound.</summary>
    public FilterOperand Operand => operand;

    /// <summary>Which side of the bound matches, and whether the bound itself does.</summary>
    public RangeOperator Operator => op;

    public override bool MatchesMissing => false;

    public override bool Matches(JsonElement value)
    {
        if (value.ValueKind == JsonValueKind.Array)
        {
            foreach (var element in value.EnumerateArray())
            {
                if (MatchesScalar(element))
                {
                    return true;
                }
            }

            return false;
        }

        return MatchesScalar(value);
    }

    private bool MatchesScalar(JsonElement value)
    {
        if (!operand.TryCompare(value, out var comparison))
        {
            return false;
        }

        return op switch
        {
            RangeOperator.GreaterThan => comparison > 0,
            RangeOperator.GreaterThanOrEqual => comparison >= 0,
            RangeOperator.LessThan => comparison < 0,
            _ => comparison <= 0,
        };
    }
}

/// <summary>$exists: whether the field is present (a JSON null counts as present).</summary>
internal sealed class ExistsCondition(bool expected) : FieldCondition
{
    /// <summary>True for $exists: true.</summary>
    public bool Expected => expected;

    public override bool MatchesMissing => !expected;

    public override bool Matches(JsonElement value) => expected;
}

/// <summary>The four range operators.</summary>
internal enum RangeOperator
{
    GreaterThan,
    GreaterThanOrEqual,
    LessThan,
    LessThanOrEqual,
}
