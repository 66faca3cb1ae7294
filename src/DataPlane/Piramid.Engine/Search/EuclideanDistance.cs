namespace Piramid.Engine.Search;

/// <summary>
/// The negated Euclidean (L2) distance, so that higher is more similar like every other metric. Scans rank by
/// the negated squared distance and take the square root only for the returned results.
/// </summary>
public readonly struct EuclideanDistance : IDistance, IScanDistance
{
    /// <inheritdoc />
    public static float Score(ReadOnlySpan<float> query, ReadOnlySpan<float> vector, float queryInvNorm, float vectorInvNorm) =>
        -MathF.Sqrt(VectorKernels.SquaredL2(query, vector));

    static float IScanDistance.RawScore(ReadOnlySpan<float> query, ReadOnlySpan<float> vector, float queryInvNorm, float vectorInvNorm) =>
        -VectorKernels.SquaredL2(query, vector);

    // sqrt is monotone, so -sqrt(d2) orders candidates exactly like -d2 (ties may merge, never reorder).
    static float IScanDistance.ToScore(float raw) => -MathF.Sqrt(-raw);

    static float IScanDistance.RawThreshold(float scoreThreshold)
    {
        // -sqrt(d2) >= t needs t <= 0 and d2 <= t^2. The relative slack absorbs the rounding of t*t and of
        // sqrt; the exact test is repeated on the public score of the results.
        if (float.IsNaN(scoreThreshold))
        {
            return float.NaN;
        }

        if (scoreThreshold > 0f)
        {
            return float.PositiveInfinity;
        }

        return -(scoreThreshold * scoreThreshold * (1f + 1e-5f));
    }
}
