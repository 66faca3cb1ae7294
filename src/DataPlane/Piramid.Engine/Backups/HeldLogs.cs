using System.Globalization;
using System.Text;
using Piramid.Engine.Crypto;
using Piramid.Engine.Storage;

namespace Piramid.Engine.Backups;

/// <summary>
/// The unarchived log of collections that no longer exist (deleted, or replaced by a restore), kept until the archiver
/// acknowledges it or the recovery window has passed, so a point-in-time restore to just before a drop still has every
/// acknowledged write (docs/design/backups.md, "Dropped collections"). One folder per collection id under
/// <c>wal-held/</c>, holding the sealed segments moved out of the collection and an index naming them, encrypted with
/// the data key like a manifest (it holds the collection's name, which is tenant data).
/// </summary>
internal sealed class HeldLogs
{
    private const string IndexFile = "index";
    private const string PartialSuffix = ".partial";

    private readonly string _root;
    private readonly DataKey _key;
    private readonly Lock _lock = new();
    private readonly Dictionary<string, HeldLog> _held = new(StringComparer.Ordinal);

    private HeldLogs(string root, DataKey key)
    {
        _root = root;
        _key = key;
    }

    /// <summary>Opens the held logs under <paramref name="dataDirectory"/>, dropping a hold a crash left unfinished.</summary>
    public static HeldLogs Open(string dataDirectory, DataKey key)
    {
        var logs = new HeldLogs(Path.Combine(dataDirectory, "wal-held"), key);
        if (!Directory.Exists(logs._root))
        {
            return logs;
        }

        foreach (var dir in Directory.GetDirectories(logs._root))
        {
            var id = Path.GetFileName(dir);
            if (!BackupPaths.IsCollectionId(id) || !File.Exists(Path.Combine(dir, IndexFile)))
            {
                // A hold that never finished: the collection's deletion did not finish either, or lost only this tail.
                Directory.Delete(dir, recursive: true);
                continue;
            }

            try
            {
                logs._held[id] = HeldLog.Parse(id, dir, Encoding.UTF8.GetString(EncryptedFile.Read(Path.Combine(dir, IndexFile), key)));
            }
            catch (StorageCorruptedException)
            {
                // Left on disk for an operator, as unreadable collections are; the engine starts without it.
            }
        }

        return logs;
    }

    /// <summary>Total bytes held.</summary>
    public long Bytes
    {
        get
        {
            lock (_lock)
            {
                return _held.Values.Sum(h => h.Segments.Sum(s => s.Bytes));
            }
        }
    }

    /// <summary>Every held collection, by id.</summary>
    public IReadOnlyList<HeldLog> All()
    {
        lock (_lock)
        {
            return [.. _held.Values];
        }
    }

    /// <summary>
    /// Moves <paramref name="segments"/> (sealed segments of collection <paramref name="collectionId"/>, now in
    /// <paramref name="walDirectory"/>) into the hold. The index is written last: without it, the next start drops the folder.
    /// </summary>
    public void Hold(string collectionId, string collectionName, string walDirectory, IReadOnlyList<SealedSegmentInfo> segments)
    {
        if (segments.Count == 0)
        {
            return;
        }

        lock (_lock)
        {
            Directory.CreateDirectory(_root);
            var partial = Path.Combine(_root, collectionId + PartialSuffix);
            var final = Path.Combine(_root, collectionId);
            if (Directory.Exists(partial))
            {
                Directory.Delete(partial, recursive: true);
            }

            Directory.CreateDirectory(partial);
            var held = new List<SealedSegmentInfo>(segments.Count);
            foreach (var segment in segments)
            {
                var name = Path.GetFileName(segment.Path);
                var target = Path.Combine(final, name);
                File.Move(Path.Combine(walDirectory, name), Path.Combine(partial, name));
                held.Add(segment with { Path = target });
            }

            var log = new HeldLog(collectionId, collectionName, final, held);
            EncryptedFile.WriteAtomic(Path.Combine(partial, IndexFile), _key, FileKind.Manifest, Encoding.UTF8.GetBytes(log.Format()));
            FileSync.SyncDirectory(partial);
            Directory.Move(partial, final);
            FileSync.SyncDirectory(_root);
            _held[collectionId] = log;
        }
    }

    /// <summary>The held collection with this id, or null.</summary>
    public HeldLog? Find(string collectionId)
    {
        lock (_lock)
        {
            return _held.GetValueOrDefault(collectionId);
        }
    }

    /// <summary>Deletes the held segments archived through <paramref name="throughLsn"/>; the folder goes with the last one.</summary>
    public void Acknowledge(string collectionId, long throughLsn)
    {
        lock (_lock)
        {
            if (_held.TryGetValue(collectionId, out var log))
            {
                Keep(log, log.Segments.Where(s => s.LastLsn > throughLsn).ToList());
            }
        }
    }

    /// <summary>Deletes held segments whose last record is older than <paramref name="oldestWanted"/>: no restore can use them.</summary>
    public void PruneBefore(DateTimeOffset oldestWanted)
    {
        lock (_lock)
        {
            foreach (var log in _held.Values.ToList())
            {
                Keep(log, log.Segments.Where(s => s.LastTimeMs == 0 || WalTime.ToInstant(s.LastTimeMs) >= oldestWanted).ToList());
            }
        }
    }

    // Rewrites the index first, so a crash between never leaves it naming a deleted file.
    private void Keep(HeldLog log, List<SealedSegmentInfo> kept)
    {
        if (kept.Count == log.Segments.Count)
        {
            return;
        }

        if (kept.Count == 0)
        {
            File.Delete(Path.Combine(log.Directory, IndexFile));
            Directory.Delete(log.Directory, recursive: true);
            FileSync.SyncDirectory(_root);
            _held.Remove(log.CollectionId);
            return;
        }

        var next = log with { Segments = kept };
        EncryptedFile.WriteAtomic(Path.Combine(log.Directory, IndexFile), _key, FileKind.Manifest, Encoding.UTF8.GetBytes(next.Format()));
        foreach (var gone in log.Segments.Except(kept))
        {
            File.Delete(gone.Path);
        }

        _held[log.CollectionId] = next;
    }
}

/// <summary>A dropped collection's held segments, oldest first.</summary>
/// <param name="CollectionId">The collection's id.</param>
/// <param name="Collection">Its name when it was dropped.</param>
/// <param name="Directory">The folder holding the segments.</param>
/// <param name="Segments">The segments, with their paths in <paramref name="Directory"/>.</param>
internal sealed record HeldLog(string CollectionId, string Collection, string Directory, IReadOnlyList<SealedSegmentInfo> Segments)
{
    // Line 1: the collection's name (names have no whitespace); then one line per segment:
    // file first-lsn last-lsn bytes first-time-ms last-time-ms.
    public string Format()
    {
        var text = new StringBuilder(Collection).Append('\n');
        foreach (var s in Segments)
        {
            text.Append(CultureInfo.InvariantCulture, $"{System.IO.Path.GetFileName(s.Path)} {s.FirstLsn} {s.LastLsn} {s.Bytes} {s.FirstTimeMs} {s.LastTimeMs}\n");
        }

        return text.ToString();
    }

    public static HeldLog Parse(string collectionId, string directory, string text)
    {
        var lines = text.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        if (lines.Length < 2)
        {
            throw new StorageCorruptedException($"{directory}: the held log's index names no segment.");
        }

        var segments = new List<SealedSegmentInfo>(lines.Length - 1);
        foreach (var line in lines.Skip(1))
        {
            var f = line.Split(' ');
            if (f.Length != 6 || !BackupPaths.IsSegmentName(f[0]))
            {
                throw new StorageCorruptedException($"{directory}: the held log's index has a malformed line '{line}'.");
            }

            segments.Add(new SealedSegmentInfo(
                System.IO.Path.Combine(directory, f[0]), Long(f[1]), Long(f[2]), Long(f[3]), Long(f[4]), Long(f[5])));
        }

        return new HeldLog(collectionId, lines[0], directory, segments);

        long Long(string s) => long.TryParse(s, NumberStyles.None, CultureInfo.InvariantCulture, out var v)
            ? v : throw new StorageCorruptedException($"{directory}: the held log's index has a malformed number '{s}'.");
    }
}
