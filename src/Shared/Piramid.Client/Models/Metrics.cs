namespace Piramid.Client.Models;

/// <summary>The distance metrics a collection may use. Scores are higher-is-better for each.</summary>
public static class Metrics
{
    /// <summary>Cosine similarity (−1 to 1).</summary>
    public const string Cosine = "cosine";

    /// <summary>Dot product.</summary>
    public const string Dot = "dot";

    /// <summary>Negated Euclidean distance.</summary>
    public const string Euclidean = "euclidean";
}
