namespace Piramid.Contracts.Backups;

/// <summary>Answer of <c>POST /internal/v1/restores/{id}/apply</c> (200).</summary>
/// <param name="Collections">What was swapped in.</param>
public sealed record RestoreApplyResult(IReadOnlyList<RestoredCollection> Collections);
