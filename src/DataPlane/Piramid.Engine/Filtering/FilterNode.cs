using System.Text.Json;

namespace Piramid.Engine.Filtering;

/// <summary>A compiled filter node. Evaluation allocates nothing but string comparisons for ranges.</summary>
internal abstract class FilterNode
{
    public abstract bool Evaluate(JsonElement metadata);
}

/// <summary>All children match.</summary>
internal sealed class AndNode(FilterNode[] children) : FilterNode
{
    public override bool Evaluate(JsonElement metadata)
    {
        foreach (var child in children)
        {
            if (!child.Evaluate(metadata))
            {
                return false;
            }
        }

        return true;
    }
}

/// <summary>Any child matches.</summary>
internal sealed class OrNode(FilterNode[] children) : FilterNode
{
    public override bool Evaluate(JsonElement metadata)
    {
        foreach (var child in children)
        {
            if (child.Evaluate(metadata))
            {
                return true;
            }
        }

        return false;
    }
}

/// <summary>The child does not match.</summary>
internal sealed class NotNode(FilterNode child) : FilterNode
{
    public override bool Evaluate(JsonElement metadata) => !child.Evaluate(metadata);
}
