namespace Piramid.Backups.Stores;

/// <summary>A key or prefix breaks <see cref="BackupKey"/>'s rules; the message names it and the rule.</summary>
public sealed class InvalidBackupKeyException(string key, string reason)
    : ArgumentException($"Invalid backup object key '{BackupKey.Printable(key)}': {reason}")
{
    /// <summary>The key as given.</summary>
    public string Key { get; } = key;
}
