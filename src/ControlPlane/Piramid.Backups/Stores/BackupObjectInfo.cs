namespace Piramid.Backups.Stores;

/// <summary>One stored object: its key, size in bytes, the SHA-256 stored with it (lower-case hex) and when it was written.</summary>
public sealed record BackupObjectInfo(string Key, long Size, string? Sha256Hex, DateTimeOffset LastModified);
