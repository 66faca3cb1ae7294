namespace Piramid.Contracts.Backups;

/// <summary>Body of <c>POST /internal/v1/wal/archived</c>: every record of the collection up to the LSN is safely archived.</summary>
/// <example>{"collection_id": "0f1e2d3c4b5a6978", "through_lsn": 1200}</example>
public sealed class WalArchivedRequest
{
    /// <summary>Directory id (16 hex).</summary>
    public string? CollectionId { get; set; }

    /// <summary>Archived through this LSN (a segment's <c>last_lsn</c>).</summary>
    public long? ThroughLsn { get; set; }
}
