using System.Text.Json;
using Piramid.Contracts;
using Piramid.Engine.Metadata;

namespace Piramid.Engine.Filtering;

/// <summary>
/// A filter compiled once per request into a tree of small nodes. It keeps no reference to the JSON it was
/// compiled from, is immutable, and may be shared across threads; <see cref="Matches"/> allocates nothing.
/// </summary>
public sealed class CompiledFilter
{
    private static readonly CompiledFilter All = new(ConstantNode.True);

    private readonly FilterNode _root;

    private CompiledFilter(FilterNode root)
    {
        _root = root;
    }

    /// <summary>The compiled tree, read by the metadata indexes to plan; never evaluated directly by callers.</summary>
    internal FilterNode Root => _root;

    /// <summary>True when the filter matches every point ({} or null), so callers can skip evaluation.</summary>
    public bool MatchesAll => ReferenceEquals(_root, ConstantNode.True);

    /// <summary>
    /// Compiles <paramref name="filter"/>. Null, undefined (<c>default</c>) and <c>{}</c> match everything.
    /// </summary>
    /// <exception cref="FilterException">The filter is malformed or exceeds a limit; the message names the JSON path.</exception>
    public static CompiledFilter Compile(
        JsonElement filter,
        int maxDepth = Limits.MaxFilterDepth,
        int maxConditions = Limits.MaxFilterConditions) => Compile(filter, schema: null, maxDepth, maxConditions);

    /// <summary>
    /// Compiles <paramref name="filter"/> and checks each operand on a field the <paramref name="schema"/> types
    /// against that type: a string for an integer field could never match, so it is the client's mistake.
    /// </summary>
    /// <exception cref="FilterException">Malformed, over a limit, or an operand of the wrong type for its schema field.</exception>
    public static CompiledFilter Compile(
        JsonElement filter,
        MetadataSchema? schema,
        int maxDepth = Limits.MaxFilterDepth,
        int maxConditions = Limits.MaxFilterConditions)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(maxDepth, 1);
        ArgumentOutOfRangeException.ThrowIfLessThan(maxConditions, 1);
        if (filter.ValueKind is JsonValueKind.Undefined or JsonValueKind.Null)
        {
            return All;
        }

        var root = new FilterCompiler(maxDepth, maxConditions, schema).CompileRoot(filter);
        return ReferenceEquals(root, ConstantNode.True) ? All : new CompiledFilter(root);
    }

    /// <summary>
    /// Evaluates the filter against a point's metadata root: a JSON object, or <c>default</c> when the point has none.
    /// </summary>
    public bool Matches(JsonElement metadata) => _root.Matches(metadata);
}
