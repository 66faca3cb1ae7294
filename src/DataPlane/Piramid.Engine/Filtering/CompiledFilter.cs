using System.Text.Json;
using Piramid.Contracts;

namespace Piramid.Engine.Filtering;

/// <summary>
/// A filter of the API's Mongo-style language, compiled once per request into a tree of nodes and
/// evaluated against each point's metadata. Grammar and semantics: docs/design/filter-language.md.
/// </summary>
public sealed class CompiledFilter
{
    private const string Operators = "$eq, $ne, $gt, $gte, $lt, $lte, $in, $nin, $exists";

    private static readonly CompiledFilter All = new(null);

    private readonly FilterNode? _root;

    private CompiledFilter(FilterNode? root) => _root = root;

    /// <summary>True for an absent, null or empty filter: callers can skip evaluation.</summary>
    public bool MatchesAll => _root is null;

    /// <summary>Compiles <paramref name="filter"/>; <see cref="FilterException"/> names the first bad part.</summary>
    public static CompiledFilter Compile(JsonElement filter)
    {
        if (filter.ValueKind is JsonValueKind.Undefined or JsonValueKind.Null)
        {
            return All;
        }

        var state = new CompileState();
        var root = state.CompileObject(filter, "filter", 1);
        return root is null ? All : new CompiledFilter(root);
    }

    /// <summary>True when the point's metadata (an object, or Undefined for none) satisfies the filter.</summary>
    public bool Matches(JsonElement metadata) => _root is null || _root.Evaluate(metadata);

    private sealed class CompileState
    {
        private int _conditions;

        public FilterNode? CompileObject(JsonElement filter, string path, int depth)
        {
            if (filter.ValueKind != JsonValueKind.Object)
            {
                throw new FilterException($"{path}: must be a JSON object, got {Describe(filter)}.");
            }

            if (depth > Limits.MaxFilterDepth)
            {
                throw new FilterException($"{path}: nesting depth exceeds the limit of {Limits.MaxFilterDepth}.");
            }

            var nodes = new List<FilterNode>();
            foreach (var property in filter.EnumerateObject())
            {
                var name = property.Name;
                var where = $"{path}.{name}";
                switch (name)
                {
                    case "$and":
                    case "$or":
                        var children = CompileList(property.Value, where, depth);
                        nodes.Add(name == "$and" ? new AndNode(children) : new OrNode(children));
                        break;
                    case "$not":
                        var inner = CompileObject(property.Value, where, depth + 1)
                            ?? throw new FilterException($"{where}: must not be empty.");
                        nodes.Add(new NotNode(inner));
                        break;
                    default:
                        if (name.StartsWith('$'))
                        {
                            throw new FilterException($"{where}: unknown logical operator '{name}'; expected $and, $or or $not, or a field name.");
                        }

                        nodes.AddRange(CompileField(name, property.Value, where));
                        break;
                }
            }

            return nodes.Count switch
            {
                0 => null,
                1 => nodes[0],
                _ => new AndNode([.. nodes]),
            };
        }

        private FilterNode[] CompileList(JsonElement value, string path, int depth)
        {
            if (value.ValueKind != JsonValueKind.Array || value.GetArrayLength() == 0)
            {
                throw new FilterException($"{path}: must be a non-empty array of filter objects, got {Describe(value)}.");
            }

            var children = new List<FilterNode>();
            var i = 0;
            foreach (var item in value.EnumerateArray())
            {
                var child = CompileObject(item, $"{path}[{i++}]", depth + 1);
                children.Add(child ?? new AndNode([]));
            }

            return [.. children];
        }

        private IEnumerable<FilterNode> CompileField(string field, JsonElement value, string path)
        {
            var segments = field.Split('.');
            if (segments.Any(s => s.Length == 0))
            {
                throw new FilterException($"{path}: field names and their dotted parts must not be empty.");
            }

            if (value.ValueKind == JsonValueKind.Object)
            {
                var any = false;
                foreach (var op in value.EnumerateObject())
                {
                    any = true;
                    yield return CompileOperator(segments, op.Name, op.Value, $"{path}.{op.Name}");
                }

                if (!any)
                {
                    throw new FilterException($"{path}: an operator object must hold at least one of {Operators}.");
                }

                yield break;
            }

            yield return CompileOperator(segments, "$eq", value, path);
        }

        private FieldNode CompileOperator(string[] segments, string name, JsonElement operand, string path)
        {
            if (++_conditions > Limits.MaxFilterConditions)
            {
                throw new FilterException($"{path}: the filter has more than {Limits.MaxFilterConditions} conditions.");
            }

            switch (name)
            {
                case "$eq":
                case "$ne":
                    return new FieldNode(segments, name == "$eq" ? FilterOperator.Eq : FilterOperator.Ne, [Scalar(operand, path)], true);
                case "$gt":
                case "$gte":
                case "$lt":
                case "$lte":
                    if (operand.ValueKind is not (JsonValueKind.Number or JsonValueKind.String))
                    {
                        throw new FilterException($"{path}: '{name}' needs a number or a string, got {Describe(operand)}.");
                    }

                    var op = name switch
                    {
                        "$gt" => FilterOperator.Gt,
                        "$gte" => FilterOperator.Gte,
                        "$lt" => FilterOperator.Lt,
                        _ => FilterOperator.Lte,
                    };
                    return new FieldNode(segments, op, [Scalar(operand, path)], true);
                case "$in":
                case "$nin":
                    if (operand.ValueKind != JsonValueKind.Array)
                    {
                        throw new FilterException($"{path}: '{name}' needs an array of values, got {Describe(operand)}.");
                    }

                    var values = new List<FilterValue>();
                    var i = 0;
                    foreach (var item in operand.EnumerateArray())
                    {
                        values.Add(Scalar(item, $"{path}[{i++}]"));
                    }

                    return new FieldNode(segments, name == "$in" ? FilterOperator.In : FilterOperator.Nin, [.. values], true);
                case "$exists":
                    if (operand.ValueKind is not (JsonValueKind.True or JsonValueKind.False))
                    {
                        throw new FilterException($"{path}: '$exists' needs true or false, got {Describe(operand)}.");
                    }

                    return new FieldNode(segments, FilterOperator.Exists, [], operand.GetBoolean());
                default:
                    throw new FilterException(name.StartsWith('$')
                        ? $"{path}: unknown operator '{name}'; expected one of {Operators}."
                        : $"{path}: to match a nested field use a dotted path such as 'a.b' instead of an object; operator objects hold only {Operators}.");
            }
        }

        private static FilterValue Scalar(JsonElement value, string path) =>
            FilterValue.TryFrom(value, out var v)
                ? v
                : throw new FilterException($"{path}: needs a string, a finite number, true, false or null, got {Describe(value)}.");

        private static string Describe(JsonElement e) => e.ValueKind switch
        {
            JsonValueKind.Object => "an object",
            JsonValueKind.Array => "an array",
            JsonValueKind.String => "a string",
            JsonValueKind.Number => "a number",
            JsonValueKind.True or JsonValueKind.False => "a boolean",
            JsonValueKind.Null => "null",
            _ => "nothing",
        };
    }
}
