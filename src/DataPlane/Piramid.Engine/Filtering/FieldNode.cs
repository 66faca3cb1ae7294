using System.Text.Json;

namespace Piramid.Engine.Filtering;

/// <summary>All conditions on one field path, AND-ed; the path is resolved once per evaluation.</summary>
internal sealed class FieldNode : FilterNode
{
    private readonly FieldPath _path;
    private readonly FieldCondition[] _conditions;
    private readonly bool _matchesMissing;

    public FieldNode(FieldPath path, FieldCondition[] conditions)
    {
        _path = path;
        _conditions = conditions;

        // Decided at compile time: a missing field matches only if every condition accepts absence.
        _matchesMissing = true;
        foreach (var condition in conditions)
        {
            _matchesMissing &= condition.MatchesMissing;
        }
    }

    /// <summary>The field the conditions apply to.</summary>
    public FieldPath Path => _path;

    /// <summary>The AND-ed conditions, for planners; callers must not modify the array.</summary>
    public ReadOnlySpan<FieldCondition> Conditions => _conditions;

    public override bool Matches(JsonElement metadata)
    {
        if (!_path.TryResolve(metadata, out var value))
        {
            return _matchesMissing;
        }

        foreach (var condition in _conditions)
        {
            if (!condition.Matches(value))
            {
                return false;
            }
        }

        return true;
    }
}
