using System.Collections.Concurrent;
using System.Security.Cryptography;
using Piramid.Engine.Backups;
using Piramid.Engine.Storage;

namespace Piramid.Engine;

/// <summary>
/// Online snapshots (docs/design/backups.md): each collection's log is sealed at its snapshot LSN and its immutable
/// files hard-linked under <c>&lt;data&gt;/snapshots/&lt;id&gt;/</c>, in the data directory's own layout and still encrypted.
/// Held until released or <see cref="EngineOptions.SnapshotLifetime"/> passes; a restart drops them all.
/// </summary>
public sealed partial class VectorEngine
{
    private readonly ConcurrentDictionary<string, (EngineSnapshot Snapshot, DateTimeOffset ExpiresAt)> _snapshots = new(StringComparer.Ordinal);

    private string SnapshotsDirectory => Path.Combine(_options.DataDirectory, "snapshots");

    /// <summary>Takes a snapshot of the named collections (null: all); an unknown name is a 404 and takes nothing.</summary>
    public EngineSnapshot CreateSnapshot(IReadOnlyList<string>? names)
    {
        ObjectDisposedException.ThrowIf(_disposed != 0, this);
        var chosen = new List<Collections.Collection>();
        foreach (var name in names ?? [.. _collections.Keys.Order(StringComparer.Ordinal)])
        {
            if (!chosen.Any(c => c.Config.Name == name))
            {
                chosen.Add(Get(name));
            }
        }

        var id = Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(16));
        var temp = Path.Combine(SnapshotsDirectory, TempPrefix + id);
        var final = Path.Combine(SnapshotsDirectory, id);
        try
        {
            Directory.CreateDirectory(temp);
            var images = new List<SnapshotCollectionImage>();
            foreach (var collection in chosen)
            {
                var collectionId = Path.GetFileName(collection.Directory);
                var (lsn, files) = collection.LinkSnapshot(Path.Combine(temp, "collections", collectionId));
                var described = files.Select(f => Describe(temp, BackupPaths.ForCollection(collectionId, f))).ToList();
                images.Add(new SnapshotCollectionImage(collection.Config.Name, collectionId, lsn, described));
            }

            var tenantFiles = new List<BackupFile>();
            var dataKeyFile = Path.Combine(_options.DataDirectory, BackupPaths.DataKeyFile);
            if (File.Exists(dataKeyFile))
            {
                FileSync.LinkOrCopy(dataKeyFile, Path.Combine(temp, BackupPaths.DataKeyFile));
                tenantFiles.Add(Describe(temp, BackupPaths.DataKeyFile));
            }

            Directory.Move(temp, final);
            var now = _options.Time.GetUtcNow();
            var snapshot = new EngineSnapshot(id, now, images, tenantFiles);
            _snapshots[id] = (snapshot, now + _options.SnapshotLifetime);
            return snapshot;
        }
        catch (IOException e)
        {
            TryDelete(temp);
            throw EngineException.InsufficientStorage($"The snapshot could not be taken ({e.Message}); nothing was kept.", e);
        }
        catch
        {
            TryDelete(temp);
            throw;
        }
    }

    /// <summary>The full path of one file of a held snapshot; 404 for an unknown snapshot or a path it does not list.</summary>
    public string SnapshotFile(string snapshotId, string path)
    {
        if (!_snapshots.TryGetValue(snapshotId, out var held))
        {
            throw EngineException.NotFound($"Snapshot '{snapshotId}' does not exist (released, expired, or the engine restarted).");
        }

        var listed = held.Snapshot.Files.Concat(held.Snapshot.Collections.SelectMany(c => c.Files)).Any(f => f.Path == path);
        return listed
            ? Path.Combine(SnapshotsDirectory, snapshotId, path)
            : throw EngineException.NotFound($"Snapshot '{snapshotId}' has no file '{path}'.");
    }

    /// <summary>Releases a snapshot (its links; the live files are untouched); 404 when unknown.</summary>
    public void ReleaseSnapshot(string snapshotId)
    {
        if (!_snapshots.TryRemove(snapshotId, out _))
        {
            throw EngineException.NotFound($"Snapshot '{snapshotId}' does not exist.");
        }

        TryDelete(Path.Combine(SnapshotsDirectory, snapshotId));
    }

    private void ReleaseExpiredSnapshots(DateTimeOffset now)
    {
        foreach (var (id, held) in _snapshots)
        {
            if (held.ExpiresAt <= now && _snapshots.TryRemove(id, out _))
            {
                TryDelete(Path.Combine(SnapshotsDirectory, id));
            }
        }
    }

    // Snapshots do not survive a restart: the caller that held one retries its backup.
    private void RemoveLeftoverSnapshots() => TryDelete(SnapshotsDirectory);

    private static BackupFile Describe(string root, string relative)
    {
        var full = Path.Combine(root, relative);
        return new BackupFile(relative, new FileInfo(full).Length, FileHash.Of(full));
    }
}
