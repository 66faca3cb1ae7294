namespace Piramid.Contracts.Backups;

/// <summary>
/// Body of <c>POST /v1/tenants/{id}/restore</c>: exactly one of <see cref="BackupId"/>, <see cref="At"/> and
/// <see cref="Lsn"/>; the last two must lie inside the plan's recovery window.
/// </summary>
/// <example>{"at": "2026-12-06T09:30:00Z", "collections": ["docs"], "rename": {"docs": "docs-restored"}}</example>
public sealed class RestoreRequest
{
    /// <summary>Restore this backup as it was taken.</summary>
    public string? BackupId { get; set; }

    /// <summary>Restore to this instant (RFC 3339): every write acknowledged at or before it, none after.</summary>
    public DateTimeOffset? At { get; set; }

    /// <summary>Restore through this LSN (a write's <c>lsn</c>).</summary>
    public long? Lsn { get; set; }

    /// <summary>Collections to restore; absent = every collection of the backup.</summary>
    public IReadOnlyList<string>? Collections { get; set; }

    /// <summary>Old name to new name: restore beside the live collection instead of in place.</summary>
    public IReadOnlyDictionary<string, string>? Rename { get; set; }
}
