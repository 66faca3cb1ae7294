namespace Piramid.Engine.Search;

/// <summary>A slot of a <see cref="VectorSlab"/> and its score (higher is more similar).</summary>
/// <param name="Slot">The slot in the slab.</param>
/// <param name="Score">The metric's score; see <see cref="DistanceMetric"/>.</param>
public readonly record struct ScoredSlot(int Slot, float Score);
