namespace Piramid.Client.Models;

/// <summary>A nearest-neighbour search (body of <c>POST /v1/collections/{name}/search</c>).</summary>
public sealed class SearchQuery
{
    /// <summary>The query vector, of the collection's dimension.</summary>
    public required float[] Vector { get; init; }

    /// <summary>Results wanted, 1 to 10,000 (server default 10).</summary>
    public int? TopK { get; init; }

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
