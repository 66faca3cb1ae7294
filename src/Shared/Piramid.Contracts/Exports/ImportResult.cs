namespace Piramid.Contracts.Exports;

/// <summary>What an engine import applied (<c>POST /internal/v1/collections/{name}/import</c>).</summary>
public sealed class ImportResult
{
    /// <summary>The import's id: its batches' idempotency keys derive from it.</summary>
    public required string ImportId { get; set; }

    /// <summary>Lines read (blank lines included).</summary>
    public long Lines { get; set; }

    /// <summary>Points in the file, each counted once however often the import was retried.</summary>
    public long Points { get; set; }

    /// <summary>Of <see cref="Points"/>, those in batches an earlier attempt of the same import had applied (replayed, not written again).</summary>
    public long ReplayedPoints { get; set; }

    /// <summary>Batches (upserts of the normal write path).</summary>
    public long Batches { get; set; }

    /// <summary>The log position of the last batch: a read-your-writes token.</summary>
    public long Lsn { get; set; }
}
