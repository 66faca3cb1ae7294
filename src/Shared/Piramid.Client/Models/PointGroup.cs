using System.Text.Json.Nodes;

namespace Piramid.Client.Models;

/// <summary>One group of a grouped search: the field's value and its best points.</summary>
public sealed class PointGroup
{
    /// <summary>The value of the <c>group_by</c> field the results share.</summary>
    public JsonNode? Value { get; init; }

    /// <summary>Best first.</summary>
    public required IReadOnlyList<ScoredPoint> Results { get; init; }
}
