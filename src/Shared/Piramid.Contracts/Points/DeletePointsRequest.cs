using System.Text.Json;

namespace Piramid.Contracts.Points;

/// <summary>
/// Body of <c>POST /v1/collections/{name}/points/delete</c>: exactly one of ids, a filter, or <c>all: true</c>.
/// A filter that matches every point is refused without <c>all</c>, so no typo empties a collection.
/// </summary>
/// <example>{"filter": {"year": {"$lt": 2000}}}</example>
public sealed class DeletePointsRequest
{
    /// <summary>Ids to delete; absent ones are ignored.</summary>
    public IReadOnlyList<string>? Ids { get; set; }

    /// <summary>Delete every point matching this filter.</summary>
    public JsonElement Filter { get; set; }

    /// <summary>True to delete every point; only alone, never with ids or a filter.</summary>
    public bool All { get; set; }
}
