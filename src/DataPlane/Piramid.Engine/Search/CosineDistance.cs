using System.Numerics.Tensors;

namespace Piramid.Engine.Search;

/// <summary>
/// Cosine similarity as one dot product scaled by the precomputed inverse norms of both vectors;
/// 0 when either is the zero vector (its inverse norm is 0).
/// </summary>
public readonly struct CosineDistance : IDistance, IScanDistance
{
    /// <inheritdoc />
    public static float Score(ReadOnlySpan<float> query, ReadOnlySpan<float> vector, float queryInvNorm, float vectorInvNorm) =>
        TensorPrimitives.Dot(query, vector) * queryInvNorm * vectorInvNorm;

    static float IScanDistance.RawScore(ReadOnlySpan<float> query, ReadOnlySpan<float> vector, float queryInvNorm, float vectorInvNorm) =>
        Score(query, vector, queryInvNorm, vectorInvNorm);

    static float IScanDistance.ToScore(float raw) => raw;

    static float IScanDistance.RawThreshold(float scoreThreshold) => scoreThreshold;
}
