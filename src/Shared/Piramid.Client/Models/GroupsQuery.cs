namespace Piramid.Client.Models;

/// <summary>A search grouped by a metadata field (body of <c>POST /v1/collections/{name}/search/groups</c>).</summary>
public sealed class GroupsQuery
{
    /// <summary>The query vector.</summary>
    public required float[] Vector { get; init; }

    /// <summary>Metadata field to group by (dotted path).</summary>
    public required string GroupBy { get; init; }

    /// <summary>Results per group (server default 3, at most 100).</summary>
    public int? GroupSize { get; init; }

    /// <summary>Groups wanted (server default 10, at most 100).</summary>
    public int? Limit { get; init; }

    /// <summary>Only points whose metadata match.</summary>
    public Filter? Filter { get; init; }

    /// <summary>Candidate list size of the graph walk.</summary>
    public int? Ef { get; init; }

    /// <summary>Keep only results scoring at least this.</summary>
    public float? ScoreThreshold { get; init; }

    /// <summary>Return vectors.</summary>
    public bool? IncludeVector { get; init; }

    /// <summary>Return metadata (server default true).</summary>
    public bool? IncludeMetadata { get; init; }
}
