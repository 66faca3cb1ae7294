namespace Piramid.Client.Models;

/// <summary>Points like the positive examples and unlike the negative ones (at most 100 examples in all).</summary>
public sealed class RecommendQuery
{
    /// <summary>Examples to be close to: point ids or vectors (at least one).</summary>
    public required IReadOnlyList<Example> Positive { get; init; }

    /// <summary>Examples to move away from.</summary>
    public IReadOnlyList<Example>? Negative { get; init; }

    /// <summary>Results wanted (server default 10); example points are never among them.</summary>
    public int? TopK { get; init; }

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
