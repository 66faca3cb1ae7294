namespace Piramid.TestKit.Datasets;

/// <summary>
/// The metrics of the engine's <c>Piramid.Engine.Search.DistanceMetric</c>, same names and order. The TestKit
/// does not reference the engine, so ground truth names its own copy; cast between them by value.
/// </summary>
public enum GroundTruthMetric
{
    /// <summary>Cosine similarity; 0 when either vector is zero.</summary>
    Cosine,

    /// <summary>Dot product.</summary>
    Dot,

    /// <summary>The negated Euclidean (L2) distance.</summary>
    Euclidean,
}
