using System.Text.Json;

namespace Piramid.Contracts.Points;

/// <summary>Body of <c>POST /v1/collections/{name}/search/groups</c>: the best points per value of a metadata field.</summary>
/// <example>{"vector": [0.1, 0.2, 0.3, 0.4], "group_by": "genre", "group_size": 2, "limit": 5}</example>
public sealed class SearchGroupsRequest
{
    /// <summary>The query vector.</summary>
    public float[]? Vector { get; set; }

    /// <summary>
    /// Metadata field to group by (dotted path). A string, number or boolean value is the point's group; an array
    /// puts the point in the group of each distinct string, number or boolean in it (so a point may appear in
    /// several groups). Points whose value is missing, null or an object, and array items that are objects,
    /// arrays or null, form no group.
    /// </summary>
    public string? GroupBy { get; set; }

    /// <summary>Results per group (default 3, at most 100).</summary>
    public int? GroupSize { get; set; }

    /// <summary>Groups wanted (default 10, at most 100), best group first.</summary>
    public int? Limit { get; set; }

    /// <summary>Metadata filter.</summary>
    public JsonElement Filter { get; set; }

    /// <summary>Search breadth of the graph index.</summary>
    public int? Ef { get; set; }

    /// <summary>Keep only results scoring at least this.</summary>
    public float? ScoreThreshold { get; set; }

    /// <summary>Return vectors.</summary>
    public bool? IncludeVector { get; set; }

    /// <summary>Return metadata (default true).</summary>
    public bool? IncludeMetadata { get; set; }
}
