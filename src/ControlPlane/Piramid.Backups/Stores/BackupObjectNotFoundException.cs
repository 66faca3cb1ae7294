namespace Piramid.Backups.Stores;

/// <summary>An object that was asked for by key does not exist. The message names the key.</summary>
public sealed class BackupObjectNotFoundException(string key)
    : Exception($"Backup object '{key}' does not exist.")
{
    /// <summary>The object's key.</summary>
    public string Key { get; } = key;
}
