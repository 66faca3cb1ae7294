namespace Piramid.TestKit.Datasets;

/// <summary>A base row and its exact score (double precision, higher is more similar).</summary>
/// <param name="Index">The row in the base set.</param>
/// <param name="Score">The score, with the engine's sign conventions.</param>
public readonly record struct Neighbor(int Index, double Score);
