namespace Piramid.Contracts.Backups;

/// <summary>A sealed (no longer appended to) WAL segment of one collection.</summary>
/// <param name="Collection">Collection name.</param>
/// <param name="CollectionId">Directory id (16 hex).</param>
/// <param name="File">File name, <c>wal-&lt;first LSN:D20&gt;.seg</c>.</param>
/// <param name="FirstLsn">First record's LSN.</param>
/// <param name="LastLsn">Last record's LSN.</param>
/// <param name="FirstTime">First record's append time (UTC); null for records written before append times existed.</param>
/// <param name="LastTime">Last record's append time (UTC); null as above.</param>
/// <param name="Size">Bytes.</param>
/// <param name="Sha256">SHA-256 of the file, lowercase hex.</param>
public sealed record SealedSegment(
    string Collection,
    string CollectionId,
    string File,
    long FirstLsn,
    long LastLsn,
    DateTimeOffset? FirstTime,
    DateTimeOffset? LastTime,
    long Size,
    string Sha256);
