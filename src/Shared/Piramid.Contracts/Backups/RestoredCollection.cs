namespace Piramid.Contracts.Backups;

/// <summary>One restored collection.</summary>
/// <param name="Name">Its (possibly new) name.</param>
/// <param name="Lsn">Last LSN replayed into it.</param>
/// <param name="Points">Points it holds.</param>
public sealed record RestoredCollection(string Name, long Lsn, long Points);
