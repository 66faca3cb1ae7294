namespace Piramid.Engine.Search;

/// <summary>
/// The scan-side view of a metric: a raw score that orders candidates exactly like the public score but may
/// be cheaper (Euclidean ranks by negated squared distance and takes the square root only for the results).
/// </summary>
internal interface IScanDistance
{
    /// <summary>A score monotone (non-decreasing) in the public score.</summary>
    static abstract float RawScore(ReadOnlySpan<float> query, ReadOnlySpan<float> vector, float queryInvNorm, float vectorInvNorm);

    /// <summary>Converts a raw score to the public score.</summary>
    static abstract float ToScore(float raw);

    /// <summary>
    /// The raw value below which no candidate can reach <paramref name="scoreThreshold"/>. It may admit a few
    /// boundary candidates (they are filtered again on the public score) but never rejects a qualifying one.
    /// </summary>
    static abstract float RawThreshold(float scoreThreshold);
}
