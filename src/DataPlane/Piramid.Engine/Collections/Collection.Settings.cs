using Piramid.Engine.Commands;

namespace Piramid.Engine.Collections;

/// <summary>
/// Changing settings in place. The settings live in the manifest, not in the log: the new manifest replaces the old
/// by one atomic rename (written, fsynced, renamed, directory fsynced), so after a crash the collection opens with the
/// old settings or the new ones, never a mix. A snapshot links the manifest under the same lock, so it holds one of
/// the two whole; the old inode stays with a snapshot taken before.
/// </summary>
public sealed partial class Collection
{
    /// <summary>
    /// Applies <paramref name="change"/> (validated by <see cref="CollectionConfig.WithUpdate"/>; 400 naming a field
    /// that would need a rebuild) durably, then serves it. Returns the description after the change.
    /// </summary>
    internal CollectionDescription UpdateSettings(UpdateCollection change)
    {
        lock (_fileSetLock)
        {
            ThrowIfUnavailable();
            var updated = Config.WithUpdate(change);
            if (updated != Config)
            {
                _health.ThrowIfReadOnly();
                try
                {
                    CollectionManifest.Write(Directory, _key, updated);
                }
                catch (IOException e)
                {
                    throw EngineException.InsufficientStorage("The collection's settings could not be written durably; nothing changed.", e);
                }

                Config = updated;
                _settingsWrittenAt = _options.Time.GetUtcNow(); // in force from now: the archive keys the version by it
            }
        }

        return Describe();
    }
}
