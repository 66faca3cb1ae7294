using System.Text.Json;

namespace Piramid.Contracts.Points;

/// <summary>Body of <c>POST /v1/collections/{name}/points/delete</c>: ids or a filter, not both.</summary>
public sealed class DeletePointsRequest
{
    /// <summary>Ids to delete; absent ones are ignored.</summary>
    public IReadOnlyList<string>? Ids { get; set; }

    /// <summary>Delete every point matching this filter.</summary>
    public JsonElement Filter { get; set; }
}
