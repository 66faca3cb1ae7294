using System.Text.Json;

namespace Piramid.Engine.Queries;

/// <summary>One group of a grouped search: the field's value and its best points, best first.</summary>
/// <param name="Value">The scalar value shared by the points (a string, number or boolean).</param>
/// <param name="Points">The group's points, best first.</param>
public sealed record PointGroup(JsonElement Value, IReadOnlyList<ScoredPoint> Points);
