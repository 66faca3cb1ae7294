namespace Piramid.Backups.Stores;

/// <summary>
/// A stored object (or the bytes offered for one) does not match its declared size or SHA-256: it was tampered
/// with, truncated, or damaged in transit. The message names the key.
/// </summary>
public sealed class BackupObjectCorruptedException(string key, string reason)
    : Exception($"Backup object '{key}' is corrupted: {reason}")
{
    /// <summary>The object's key.</summary>
    public string Key { get; } = key;

    /// <summary>What did not match.</summary>
    public string Reason { get; } = reason;
}
