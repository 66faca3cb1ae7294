using System.ComponentModel.DataAnnotations;

namespace Piramid.Contracts.Backups;

/// <summary>A backup as the API shows it.</summary>
public sealed class BackupInfo
{
    /// <summary>Id (<c>bk_</c> + 32 hex).</summary>
    public required string Id { get; set; }

    /// <summary>The tenant.</summary>
    public required string TenantId { get; set; }

    /// <summary><c>completed</c> once its manifest is stored; a <c>failed</c> backup holds nothing.</summary>
    [AllowedValues("pending", "running", "completed", "failed")]
    public required string State { get; set; }

    /// <summary>The operation that makes (or made) it.</summary>
    public required string OperationId { get; set; }

    /// <summary>True when the plan's schedule made it.</summary>
    public bool Scheduled { get; set; }

    /// <summary>The highest collection LSN it holds (null until completed).</summary>
    public long? Lsn { get; set; }

    /// <summary>Bytes stored, manifest included.</summary>
    public long SizeBytes { get; set; }

    /// <summary>SHA-256 (hex) of its manifest, which lists every file's SHA-256.</summary>
    public string? Sha256 { get; set; }

    /// <summary>When it was asked for.</summary>
    public DateTimeOffset CreatedAt { get; set; }

    /// <summary>Its point in time: when the engine took the snapshot.</summary>
    public DateTimeOffset? SnapshotAt { get; set; }

    /// <summary>When it was completed.</summary>
    public DateTimeOffset? CompletedAt { get; set; }

    /// <summary>The collections it holds (once completed; before, those asked for, without LSNs).</summary>
    public required IReadOnlyList<BackupCollection> Collections { get; set; }
}
