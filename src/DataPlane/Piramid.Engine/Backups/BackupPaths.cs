using System.Text.RegularExpressions;

namespace Piramid.Engine.Backups;

/// <summary>
/// The relative paths a snapshot lists and a restore accepts, and nothing else: a caller's path can never leave the
/// snapshot or staging directory, nor name a file the engine would not read (docs/design/backups.md).
/// </summary>
public static partial class BackupPaths
{
    /// <summary>The tenant's wrapped data key.</summary>
    public const string DataKeyFile = "datakey.wrapped";

    /// <summary>True for <c>datakey.wrapped</c> and for a collection's manifest, checkpoint or WAL segment path.</summary>
    public static bool IsValid(string path) => path == DataKeyFile || CollectionFile().IsMatch(path);

    /// <summary>The collection id of a collection file path; null for tenant-level files.</summary>
    public static string? CollectionId(string path) => CollectionFile().Match(path) is { Success: true } m ? m.Groups["id"].Value : null;

    /// <summary>'/'-separated relative path of a file under a collection directory.</summary>
    public static string ForCollection(string collectionId, string relative) => $"collections/{collectionId}/{relative.Replace('\\', '/')}";

    /// <summary>The id format of collection directories.</summary>
    public static bool IsCollectionId(string id) => CollectionIdPattern().IsMatch(id);

    /// <summary>The file-name format of WAL segments.</summary>
    public static bool IsSegmentName(string file) => SegmentName().IsMatch(file);

    [GeneratedRegex(@"^collections/(?<id>[0-9a-f]{16})/(manifest\.bin|checkpoints/checkpoint-[0-9]{20}\.ckpt|wal/wal-[0-9]{20}\.seg)$", RegexOptions.CultureInvariant)]
    private static partial Regex CollectionFile();

    [GeneratedRegex(@"^[0-9a-f]{16}$", RegexOptions.CultureInvariant)]
    private static partial Regex CollectionIdPattern();

    [GeneratedRegex(@"^wal-[0-9]{20}\.seg$", RegexOptions.CultureInvariant)]
    private static partial Regex SegmentName();
}
