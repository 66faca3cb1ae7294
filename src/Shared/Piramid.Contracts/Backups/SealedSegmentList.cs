namespace Piramid.Contracts.Backups;

/// <summary>Answer of <c>GET /internal/v1/wal/sealed?after=&lt;cursor&gt;&amp;limit=&lt;n&gt;</c>.</summary>
/// <param name="Segments">Sealed segments not yet acknowledged as archived, ordered by collection id then first LSN.</param>
/// <param name="NextCursor">Pass as <c>after</c> for the next page; null when this page ends the listing.</param>
public sealed record SealedSegmentList(IReadOnlyList<SealedSegment> Segments, string? NextCursor);
