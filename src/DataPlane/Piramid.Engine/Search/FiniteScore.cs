namespace Piramid.Engine.Search;

/// <summary>
/// Makes every public score a finite float. Values are bounded at write time (<c>Limits.MaxVectorValue</c>) so that
/// no score can overflow, but points stored before the bound existed (or under a process configured with a larger
/// one) may still give ±Infinity or NaN (Infinity − Infinity in a dot product). JSON has no such numbers, so one
/// such point would make every search of its collection fail to serialize; saturating keeps them searchable.
/// </summary>
public static class FiniteScore
{
    /// <summary>
    /// ±Infinity becomes ±<see cref="float.MaxValue"/>; NaN, a score with no meaning, ranks last as
    /// −<see cref="float.MaxValue"/>; finite scores are returned unchanged.
    /// </summary>
    public static float Saturate(float score) =>
        float.IsFinite(score) ? score : float.IsPositiveInfinity(score) ? float.MaxValue : float.MinValue;
}
