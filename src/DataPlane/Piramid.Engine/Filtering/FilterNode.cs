using System.Text.Json;

namespace Piramid.Engine.Filtering;

/// <summary>One node of a compiled filter; evaluation must not allocate.</summary>
internal abstract class FilterNode
{
    /// <summary>Evaluates the node against the metadata root.</summary>
    public abstract bool Matches(JsonElement metadata);
}

/// <summary>A node with a fixed answer: {} matches everything, and a negated {} matches nothing.</summary>
internal sealed class ConstantNode : FilterNode
{
    public static readonly ConstantNode True = new(true);
    public static readonly ConstantNode False = new(false);

    private readonly bool _value;

    private ConstantNode(bool value)
    {
        _value = value;
    }

    public override bool Matches(JsonElement metadata) => _value;
}

/// <summary>All children match ($and, and several keys in one filter object).</summary>
internal sealed class AndNode(FilterNode[] children) : FilterNode
{
    /// <summary>The AND-ed children, for planners; callers must not modify the array.</summary>
    public ReadOnlySpan<FilterNode> Children => children;

    public override bool Matches(JsonElement metadata)
    {
        foreach (var child in children)
        {
            if (!child.Matches(metadata))
            {
                return false;
            }
        }

        return true;
    }
}

/// <summary>At least one child matches ($or).</summary>
internal sealed class OrNode(FilterNode[] children) : FilterNode
{
    /// <summary>The OR-ed children, for planners; callers must not modify the array.</summary>
    public ReadOnlySpan<FilterNode> Children => children;

    public override bool Matches(JsonElement metadata)
    {
        foreach (var child in children)
        {
            if (child.Matches(metadata))
            {
                return true;
            }
        }

        return false;
    }
}

/// <summary>The child does not match ($not).</summary>
internal sealed class NotNode(FilterNode child) : FilterNode
{
    /// <summary>The negated child, for planners.</summary>
    public FilterNode Child => child;

    public override bool Matches(JsonElement metadata) => !child.Matches(metadata);
}
