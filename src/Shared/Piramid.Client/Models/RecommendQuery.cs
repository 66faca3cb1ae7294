namespace Piramid.Client.Models;

/// <summary>Points like the positive examples and unlike the negative ones (at most 100 examples in all).</summary>
public sealed class RecommendQuery : QueryOptions
{
    /// <summary>Examples to be close to: point ids or vectors (at least one).</summary>
    public required IReadOnlyList<Example> Positive { get; init; }

    /// <summary>Examples to move away from.</summary>
    public IReadOnlyList<Example>? Negative { get; init; }

    /// <summary>Results wanted (server default 10); example points are never among them.</summary>
    public int? TopK { get; init; }
}
