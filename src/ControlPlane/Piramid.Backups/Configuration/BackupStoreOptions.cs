namespace Piramid.Backups.Configuration;

/// <summary>
/// Where backups are kept, bound from the <c>Backups</c> section and checked at start
/// (docs/design/backups.md, "Stores"). Operator configuration, not part of the public API.
/// </summary>
public sealed class BackupStoreOptions
{
    /// <summary>Configuration section.</summary>
    public const string Section = "Backups";

    /// <summary>The filesystem store (the default).</summary>
    public const string FilesystemStore = "filesystem";

    /// <summary>The S3-compatible store.</summary>
    public const string S3Store = "s3";

    /// <summary><c>filesystem</c> (default) or <c>s3</c>.</summary>
    public string Store { get; set; } = FilesystemStore;

    /// <summary>Root directory of the filesystem store (<c>./piramid up</c> sets <c>.piramid/backups</c>).</summary>
    public string? Directory { get; set; }

    /// <summary>The S3 store's settings (<c>Backups:S3</c>).</summary>
    public S3StoreOptions S3 { get; set; } = new();
}
