namespace Piramid.ControlPlane.Backups;

/// <summary>The object keys of backups and archived segments in the store (backup-contract: "Object keys").</summary>
public static class BackupObjects
{
    /// <summary>The name of the object written last, which makes a backup a backup.</summary>
    public const string ManifestName = "manifest.json";

    /// <summary>The archived settings file of a collection's origin.</summary>
    public const string OriginSettingsName = "manifest.bin";

    /// <summary>Every object of one backup starts with this.</summary>
    public static string BackupPrefix(string tenantId, string backupId) => $"tenants/{tenantId}/backups/{backupId}/";

    /// <summary>One snapshot file of a backup (its path relative to the data directory).</summary>
    public static string File(string tenantId, string backupId, string path) => BackupPrefix(tenantId, backupId) + path;

    /// <summary>A backup's manifest.</summary>
    public static string Manifest(string tenantId, string backupId) => BackupPrefix(tenantId, backupId) + ManifestName;

    /// <summary>One archived WAL segment.</summary>
    public static string Segment(string tenantId, string collectionId, string file) => $"tenants/{tenantId}/wal/{collectionId}/{file}";

    /// <summary>An archived origin file of a collection (<c>manifest.bin</c>, or its starting checkpoint) beside its segments.</summary>
    public static string Origin(string tenantId, string collectionId, string file) => $"tenants/{tenantId}/wal/{collectionId}/{file}";

    /// <summary>A later version of a collection's settings file, named by its SHA-256, beside its segments.</summary>
    public static string Settings(string tenantId, string collectionId, string sha256) => $"tenants/{tenantId}/wal/{collectionId}/settings/{sha256}.bin";
}
