namespace Piramid.Client.Models;

/// <summary>A search grouped by a metadata field (body of <c>POST /v1/collections/{name}/search/groups</c>).</summary>
public sealed class GroupsQuery : QueryOptions
{
    /// <summary>The query vector.</summary>
    public required float[] Vector { get; init; }

    /// <summary>Metadata field to group by (dotted path).</summary>
    public required string GroupBy { get; init; }

    /// <summary>Results per group (server default 3, at most 100).</summary>
    public int? GroupSize { get; init; }

    /// <summary>Groups wanted (server default 10, at most 100).</summary>
    public int? Limit { get; init; }
}
