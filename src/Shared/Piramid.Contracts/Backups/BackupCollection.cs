namespace Piramid.Contracts.Backups;

/// <summary>One collection in a backup.</summary>
public sealed class BackupCollection
{
    /// <summary>Its name when the backup was taken.</summary>
    public required string Name { get; set; }

    /// <summary>Its directory id (16 hex).</summary>
    public string? CollectionId { get; set; }

    /// <summary>Every record up to this LSN is in the backup, none after.</summary>
    public long? Lsn { get; set; }

    /// <summary>Bytes of its files.</summary>
    public long SizeBytes { get; set; }
}
