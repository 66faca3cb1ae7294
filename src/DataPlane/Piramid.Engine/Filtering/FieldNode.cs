using System.Text.Json;

namespace Piramid.Engine.Filtering;

/// <summary>Comparison operators of the filter language.</summary>
internal enum FilterOperator
{
    Eq,
    Ne,
    Gt,
    Gte,
    Lt,
    Lte,
    In,
    Nin,
    Exists,
}

/// <summary>
/// One condition on one field, reached by a pre-split dotted path. An array field matches when any
/// element does (Mongo semantics); <c>$ne</c> and <c>$nin</c> match when no element is equal.
/// </summary>
internal sealed class FieldNode(string[] path, FilterOperator op, FilterValue[] operands, bool exists) : FilterNode
{
    public override bool Evaluate(JsonElement metadata)
    {
        var found = Resolve(metadata, out var value);
        return op switch
        {
            FilterOperator.Exists => found == exists,
            FilterOperator.Ne => !found || !AnyEqual(value),
            FilterOperator.Nin => !found || !AnyEqual(value),
            _ => found && Positive(value),
        };
    }

    private bool Resolve(JsonElement metadata, out JsonElement value)
    {
        value = metadata;
        foreach (var segment in path)
        {
            if (value.ValueKind != JsonValueKind.Object || !value.TryGetProperty(segment, out value))
            {
                return false;
            }
        }

        return true;
    }

    private bool Positive(JsonElement value)
    {
        if (value.ValueKind == JsonValueKind.Array)
        {
            foreach (var item in value.EnumerateArray())
            {
                if (PositiveScalar(item))
                {
                    return true;
                }
            }

            return false;
        }

        return PositiveScalar(value);
    }

    private bool PositiveScalar(JsonElement value)
    {
        switch (op)
        {
            case FilterOperator.Eq:
            case FilterOperator.In:
                foreach (var operand in operands)
                {
                    if (operand.EqualsElement(value))
                    {
                        return true;
                    }
                }

                return false;
            default:
                var cmp = operands[0].CompareElement(value);
                return cmp is int c && op switch
                {
                    FilterOperator.Gt => c > 0,
                    FilterOperator.Gte => c >= 0,
                    FilterOperator.Lt => c < 0,
                    _ => c <= 0,
                };
        }
    }

    private bool AnyEqual(JsonElement value)
    {
        if (value.ValueKind == JsonValueKind.Array)
        {
            foreach (var item in value.EnumerateArray())
            {
                if (EqualsAnyOperand(item))
                {
                    return true;
                }
            }

            return false;
        }

        return EqualsAnyOperand(value);
    }

    private bool EqualsAnyOperand(JsonElement value)
    {
        foreach (var operand in operands)
        {
            if (operand.EqualsElement(value))
            {
                return true;
            }
        }

        return false;
    }
}
