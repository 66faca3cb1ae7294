using System.Globalization;
using System.Text.Json;
using Piramid.Engine.Metadata;

namespace Piramid.Engine.Filtering;

/// <summary>
/// Turns filter JSON into a node tree, checking every rule up front so evaluation never meets bad input.
/// Error messages start with the JSON path of the offending part ("filter.$and[1].year").
/// </summary>
internal sealed class FilterCompiler(int maxDepth, int maxConditions, MetadataSchema? schema = null)
{
    private const string FieldOperators = "$eq, $ne, $gt, $gte, $lt, $lte, $in, $nin, $exists";
    private const string LogicalOperators = "$and, $or, $not";

    private int _conditions;

    // The schema type of the field whose operators are being compiled, or null for an untyped field.
    private (string Name, MetadataFieldType Type)? _typedField;

    public FilterNode CompileRoot(JsonElement filter)
    {
        if (filter.ValueKind != JsonValueKind.Object)
        {
            throw Error("filter", $"expected an object, got {Describe(filter.ValueKind)}");
        }

        return CompileObject(filter, "filter", 1);
    }

    // Depth counts filter objects: the root is 1 and each object inside $and, $or or $not is one deeper.
    private FilterNode CompileObject(JsonElement filter, string path, int depth)
    {
        if (depth > maxDepth)
        {
            throw Error(path, $"filter nesting depth {depth} exceeds the limit of {maxDepth}");
        }

        var children = new List<FilterNode>();
        foreach (var property in filter.EnumerateObject())
        {
            var name = property.Name;
            if (name.Length == 0)
            {
                throw Error(path, "empty field name");
            }

            var node = name[0] == '$'
                ? CompileLogical(name, property.Value, path, depth)
                : CompileField(name, property.Value, $"{path}.{name}");
            children.Add(node);
        }

        return And(children);
    }

    private FilterNode CompileLogical(string op, JsonElement operand, string path, int depth)
    {
        var opPath = $"{path}.{op}";
        switch (op)
        {
            case "$and" or "$or":
                if (operand.ValueKind != JsonValueKind.Array || operand.GetArrayLength() == 0)
                {
                    throw Error(opPath, $"{op} needs a non-empty array of filter objects, got {DescribeOperand(operand)}");
                }

                var children = new List<FilterNode>(operand.GetArrayLength());
                var index = 0;
                foreach (var item in operand.EnumerateArray())
                {
                    var itemPath = $"{opPath}[{index.ToString(CultureInfo.InvariantCulture)}]";
                    if (item.ValueKind != JsonValueKind.Object)
                    {
                        throw Error(itemPath, $"{op} items must be filter objects, got {Describe(item.ValueKind)}");
                    }

                    children.Add(CompileObject(item, itemPath, depth + 1));
                    index++;
                }

                return op == "$and" ? And(children) : Or(children);

            case "$not":
                if (operand.ValueKind != JsonValueKind.Object)
                {
                    throw Error(opPath, $"$not needs a filter object, got {Describe(operand.ValueKind)}");
                }

                var inner = CompileObject(operand, opPath, depth + 1);
                return inner is ConstantNode constant
                    ? (ReferenceEquals(constant, ConstantNode.True) ? ConstantNode.False : ConstantNode.True)
                    : new NotNode(inner);

            default:
                throw Error(path, $"unknown operator '{op}'; expected one of {LogicalOperators} or a field name");
        }
    }

    private FieldNode CompileField(string name, JsonElement value, string path)
    {
        var fieldPath = FieldPath.TryParse(name)
            ?? throw Error(path, $"field path '{name}' has an empty segment");
        _typedField = schema is not null && schema.Fields.TryGetValue(name, out var type) ? (name, type) : null;

        if (value.ValueKind != JsonValueKind.Object)
        {
            // {"f": v} is shorthand for {"f": {"$eq": v}}.
            return new FieldNode(fieldPath, [Equality("$eq", value, path, negated: false)]);
        }

        var conditions = new List<FieldCondition>();
        foreach (var property in value.EnumerateObject())
        {
            conditions.Add(CompileOperator(property.Name, property.Value, name, path));
        }

        if (conditions.Count == 0)
        {
            throw Error(path, $"empty operator object; expected one of {FieldOperators}");
        }

        return new FieldNode(fieldPath, [.. conditions]);
    }

    private FieldCondition CompileOperator(string op, JsonElement operand, string fieldName, string fieldPath)
    {
        var path = $"{fieldPath}.{op}";
        switch (op)
        {
            case "$eq":
                return Equality(op, operand, path, negated: false);
            case "$ne":
                return Equality(op, operand, path, negated: true);
            case "$in":
                return Membership(op, operand, path, negated: false);
            case "$nin":
                return Membership(op, operand, path, negated: true);
            case "$gt":
                return Range(op, operand, path, RangeOperator.GreaterThan);
            case "$gte":
                return Range(op, operand, path, RangeOperator.GreaterThanOrEqual);
            case "$lt":
                return Range(op, operand, path, RangeOperator.LessThan);
            case "$lte":
                return Range(op, operand, path, RangeOperator.LessThanOrEqual);
            case "$exists":
                if (operand.ValueKind is not (JsonValueKind.True or JsonValueKind.False))
                {
                    throw Error(path, $"$exists needs a boolean, got {DescribeOperand(operand)}");
                }

                Count(path, 1);
                return new ExistsCondition(operand.ValueKind == JsonValueKind.True);
            default:
                var hint = op.StartsWith('$') ? string.Empty : $" (use the dotted path '{fieldName}.{op}' for a nested field)";
                throw Error(fieldPath, $"unknown operator '{op}'; expected one of {FieldOperators}{hint}");
        }
    }

    private MembershipCondition Equality(string op, JsonElement operand, string path, bool negated)
    {
        Count(path, 1);
        return new MembershipCondition([Scalar(op, operand, path)], negated);
    }

    // Each listed value is one comparison, so each counts as a condition: the limit bounds evaluation work.
    private MembershipCondition Membership(string op, JsonElement operand, string path, bool negated)
    {
        if (operand.ValueKind != JsonValueKind.Array)
        {
            throw Error(path, $"{op} needs an array, got {DescribeOperand(operand)}");
        }

        Count(path, Math.Max(1, operand.GetArrayLength()));
        var operands = new FilterOperand[operand.GetArrayLength()];
        var index = 0;
        foreach (var item in operand.EnumerateArray())
        {
            operands[index] = Scalar(op, item, $"{path}[{index.ToString(CultureInfo.InvariantCulture)}]");
            index++;
        }

        return new MembershipCondition(operands, negated);
    }

    private RangeCondition Range(string op, JsonElement operand, string path, RangeOperator range)
    {
        if (_typedField is ({ } field, MetadataFieldType.Boolean))
        {
            throw Error(path, $"field '{field}' is boolean in the schema; expected $eq, $ne, $in, $nin or $exists, not {op}");
        }

        if (operand.ValueKind is not (JsonValueKind.Number or JsonValueKind.String))
        {
            throw Error(path, $"{op} needs a number or string, got {DescribeOperand(operand)}");
        }

        Count(path, 1);
        return new RangeCondition(Scalar(op, operand, path), range);
    }

    private FilterOperand Scalar(string op, JsonElement operand, string path)
    {
        if (FilterOperand.TryCreate(operand, out var value))
        {
            CheckType(operand, path);
            return value;
        }

        var got = operand.ValueKind == JsonValueKind.Number ? "a number outside the double range" : DescribeOperand(operand);
        throw Error(path, $"{op} needs a number, string, boolean or null, got {got}");
    }

    // null matches an absent or null field of any type, so it is always allowed.
    private void CheckType(JsonElement operand, string path)
    {
        if (_typedField is not ({ } field, var type) || operand.ValueKind == JsonValueKind.Null)
        {
            return;
        }

        var fits = type switch
        {
            MetadataFieldType.Keyword or MetadataFieldType.Text => operand.ValueKind == JsonValueKind.String,
            MetadataFieldType.Integer or MetadataFieldType.Float => operand.ValueKind == JsonValueKind.Number,
            _ => operand.ValueKind is JsonValueKind.True or JsonValueKind.False,
        };
        if (!fits)
        {
            throw Error(path, $"field '{field}' is {TypeName(type)} in the schema; expected {Expected(type)}, got {Describe(operand.ValueKind)}");
        }
    }

    private static string TypeName(MetadataFieldType type) => type switch
    {
        MetadataFieldType.Keyword => "keyword",
        MetadataFieldType.Text => "text",
        MetadataFieldType.Integer => "integer",
        MetadataFieldType.Float => "float",
        _ => "boolean",
    };

    private static string Expected(MetadataFieldType type) => type switch
    {
        MetadataFieldType.Keyword or MetadataFieldType.Text => "a string",
        MetadataFieldType.Integer or MetadataFieldType.Float => "a number",
        _ => "true or false",
    };

    private void Count(string path, int conditions)
    {
        _conditions += conditions;
        if (_conditions > maxConditions)
        {
            throw Error(path, $"the filter has more than {maxConditions} conditions");
        }
    }

    private static FilterNode And(List<FilterNode> children)
    {
        // {} inside $and adds nothing; anything that can never match makes the whole AND false.
        children.RemoveAll(static c => ReferenceEquals(c, ConstantNode.True));
        if (children.Exists(static c => ReferenceEquals(c, ConstantNode.False)))
        {
            return ConstantNode.False;
        }

        return children.Count switch
        {
            0 => ConstantNode.True,
            1 => children[0],
            _ => new AndNode([.. children]),
        };
    }

    private static FilterNode Or(List<FilterNode> children)
    {
        if (children.Exists(static c => ReferenceEquals(c, ConstantNode.True)))
        {
            return ConstantNode.True;
        }

        children.RemoveAll(static c => ReferenceEquals(c, ConstantNode.False));
        return children.Count switch
        {
            0 => ConstantNode.False,
            1 => children[0],
            _ => new OrNode([.. children]),
        };
    }

    private static string DescribeOperand(JsonElement operand) =>
        operand.ValueKind == JsonValueKind.Array && operand.GetArrayLength() == 0 ? "an empty array" : Describe(operand.ValueKind);

    private static string Describe(JsonValueKind kind) => kind switch
    {
        JsonValueKind.Object => "an object",
        JsonValueKind.Array => "an array",
        JsonValueKind.String => "a string",
        JsonValueKind.Number => "a number",
        JsonValueKind.True or JsonValueKind.False => "a boolean",
        JsonValueKind.Null => "null",
        _ => "nothing",
    };

    private static FilterException Error(string path, string message) => new($"{path}: {message}");
}
