namespace Piramid.Contracts.Points;

/// <summary>Reply of count.</summary>
/// <param name="Count">Matching points.</param>
public sealed record CountResult(long Count);
