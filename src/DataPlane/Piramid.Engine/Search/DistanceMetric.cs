namespace Piramid.Engine.Search;

/// <summary>
/// How two vectors are compared. Every metric yields a score where higher means more similar, so one
/// top-k and one <c>score_threshold</c> rule serve all metrics.
/// </summary>
public enum DistanceMetric
{
    /// <summary>Cosine similarity in [-1, 1]; 0 when either vector is the zero vector.</summary>
    Cosine,

    /// <summary>Dot product (unbounded).</summary>
    Dot,

    /// <summary>The negated Euclidean (L2, not squared) distance: 0 for identical vectors, negative otherwise.</summary>
    Euclidean,
}
