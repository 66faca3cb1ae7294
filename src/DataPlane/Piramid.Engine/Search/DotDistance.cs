using System.Numerics.Tensors;

namespace Piramid.Engine.Search;

/// <summary>The dot product; the inverse norms are ignored.</summary>
public readonly struct DotDistance : IDistance, IScanDistance
{
    /// <inheritdoc />
    public static float Score(ReadOnlySpan<float> query, ReadOnlySpan<float> vector, float queryInvNorm, float vectorInvNorm) =>
        TensorPrimitives.Dot(query, vector);

    static float IScanDistance.RawScore(ReadOnlySpan<float> query, ReadOnlySpan<float> vector, float queryInvNorm, float vectorInvNorm) =>
        TensorPrimitives.Dot(query, vector);

    static float IScanDistance.ToScore(float raw) => raw;

    static float IScanDistance.RawThreshold(float scoreThreshold) => scoreThreshold;
}
