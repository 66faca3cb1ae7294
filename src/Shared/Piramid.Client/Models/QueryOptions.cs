namespace Piramid.Client.Models;

/// <summary>What search, recommend and grouped search share: the filter, the graph walk, the threshold, what results carry.</summary>
public abstract class QueryOptions
{
    /// <summary>Only points whose metadata match.</summary>
    public Filter? Filter { get; init; }

    /// <summary>Candidate list size of the graph walk.</summary>
    public int? Ef { get; init; }

    /// <summary>Keep only results scoring at least this.</summary>
    public float? ScoreThreshold { get; init; }

    /// <summary>Return vectors (server default false).</summary>
    public bool? IncludeVector { get; init; }

    /// <summary>Return metadata (server default true).</summary>
    public bool? IncludeMetadata { get; init; }
}
