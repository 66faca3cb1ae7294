namespace Piramid.Contracts.Backups;

/// <summary>Answer of <c>POST /internal/v1/restores</c> (201): a new, empty staging area.</summary>
/// <param name="RestoreId">Id for the file, apply and discard routes.</param>
public sealed record RestoreCreated(string RestoreId);
