namespace Piramid.Engine.Search;

/// <summary>
/// A similarity metric as a static operator, so scan loops are generic over a <c>struct</c> and the JIT
/// emits one specialized loop per metric instead of an indirect call per distance.
/// </summary>
public interface IDistance
{
    /// <summary>
    /// The score of <paramref name="vector"/> for <paramref name="query"/> (higher is more similar). The inverse
    /// norms are <c>1 / ||x||</c> (0 for a zero vector) and are used only by cosine.
    /// </summary>
    static abstract float Score(ReadOnlySpan<float> query, ReadOnlySpan<float> vector, float queryInvNorm, float vectorInvNorm);
}
