namespace Piramid.ControlPlane.Data.Entities;

/// <summary>
/// A later version of a collection's settings file (<c>manifest.bin</c>), archived when a PATCH changed it: settings live
/// in the manifest, not in the log, so a point-in-time restore stages the version in force at its target
/// (docs/design/backups.md, "Settings versions"). The origin's <c>manifest.bin</c> is the version before the first.
/// </summary>
public sealed class WalArchiveSettingsVersion
{
    /// <summary>The tenant.</summary>
    public required string TenantId { get; set; }

    /// <summary>The collection's id (16 hex).</summary>
    public required string CollectionId { get; set; }

    /// <summary>SHA-256 of the file, also its object's name (<c>settings/&lt;sha256&gt;.bin</c> beside the segments).</summary>
    public required string Sha256 { get; set; }

    /// <summary>Bytes of the file.</summary>
    public long Size { get; set; }

    /// <summary>When the engine wrote it: from then on it is in force.</summary>
    public DateTimeOffset WrittenAt { get; set; }
}
