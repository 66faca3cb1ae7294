using System.Text.Json;

namespace Piramid.Contracts.Points;

/// <summary>One group of a grouped search: the field's value and its best points.</summary>
public sealed class PointGroup
{
    /// <summary>The value of the <c>group_by</c> field shared by the results.</summary>
    public JsonElement Value { get; set; }

    /// <summary>Best first.</summary>
    public required IReadOnlyList<ScoredPointOutput> Results { get; set; }
}
