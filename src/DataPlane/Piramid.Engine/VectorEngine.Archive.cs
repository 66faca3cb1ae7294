using System.Collections.Concurrent;
using System.Globalization;
using Piramid.Engine.Backups;
using Piramid.Engine.Collections;
using Piramid.Engine.Storage;

namespace Piramid.Engine;

/// <summary>
/// Log archiving (docs/design/backups.md): sealed segments not yet acknowledged are listed by (collection id, first
/// LSN) with a cursor, streamed, and acknowledged; a checkpoint keeps the ones the recovery window needs.
/// </summary>
public sealed partial class VectorEngine
{
    // Most drops remembered for the archiver; it reads them every few seconds, so this only bounds a runaway.
    private const int MaxDropsKept = 1000;

    // Sealed segments never change, so each is hashed once.
    private readonly ConcurrentDictionary<string, string> _segmentHashes = new(StringComparer.Ordinal);

    // Collections deleted or replaced by a restore since the engine started, oldest first: the archiver records when
    // each stopped existing, so a point-in-time restore after that leaves it out.
    private readonly ConcurrentQueue<DroppedCollectionEntry> _dropped = new();

    /// <summary>
    /// Sealed, unacknowledged segments after <paramref name="after"/> (a previous page's cursor), at most
    /// <paramref name="limit"/>; the cursor of the next page, or null when this page ends the listing.
    /// </summary>
    public (IReadOnlyList<SealedSegmentEntry> Segments, string? NextCursor) ListSealedSegments(string? after, int limit)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(limit, 1);
        var (afterId, afterLsn) = ParseCursor(after);
        var rows = new List<(string Name, string Id, SealedSegmentInfo Segment)>();
        void Add(string name, string id, IEnumerable<SealedSegmentInfo> unarchived)
        {
            var key = string.CompareOrdinal(id, afterId);
            rows.AddRange(unarchived.Where(s => key > 0 || (key == 0 && s.FirstLsn > afterLsn)).Select(s => (name, id, s)));
        }

        foreach (var collection in _collections.Values)
        {
            var archived = collection.ArchivedThroughLsn;
            Add(collection.Config.Name, Path.GetFileName(collection.Directory), collection.SealedSegments().Where(s => s.LastLsn > archived));
        }

        foreach (var held in _heldLogs.All())
        {
            Add(held.Collection, held.CollectionId, held.Segments);
        }

        var page = rows.OrderBy(r => r.Id, StringComparer.Ordinal).ThenBy(r => r.Segment.FirstLsn).Take(limit + 1).ToList();
        var more = page.Count > limit;
        if (more)
        {
            page.RemoveAt(limit);
        }

        var entries = page.Select(r => new SealedSegmentEntry(
            r.Name, r.Id, Path.GetFileName(r.Segment.Path), r.Segment.FirstLsn, r.Segment.LastLsn,
            WalTime.ToInstant(r.Segment.FirstTimeMs), WalTime.ToInstant(r.Segment.LastTimeMs), r.Segment.Bytes,
            _segmentHashes.GetOrAdd(r.Segment.Path, FileHash.Of))).ToList();
        var next = more ? string.Create(CultureInfo.InvariantCulture, $"{page[^1].Id}.{page[^1].Segment.FirstLsn}") : null;
        return (entries, next);
    }

    /// <summary>The full path of a sealed segment still on disk; 404 otherwise (never the segment being appended to).</summary>
    public string SealedSegmentFile(string collectionId, string file)
    {
        if (!BackupPaths.IsCollectionId(collectionId) || !BackupPaths.IsSegmentName(file))
        {
            throw EngineException.Invalid("The path must be /internal/v1/wal/segments/<16 hex collection id>/wal-<20 digits>.seg.");
        }

        var segments = _heldLogs.Find(collectionId)?.Segments ?? ById(collectionId).SealedSegments();
        return segments.FirstOrDefault(s => Path.GetFileName(s.Path) == file)?.Path
            ?? throw EngineException.NotFound($"Collection '{collectionId}' has no sealed segment '{file}' (not sealed yet, or already pruned).");
    }

    /// <summary>Records that a collection's log is archived through <paramref name="throughLsn"/>.</summary>
    public void MarkArchived(string collectionId, long throughLsn)
    {
        if (!BackupPaths.IsCollectionId(collectionId))
        {
            throw EngineException.Invalid("'collection_id' must be 16 lowercase hex digits.");
        }

        if (_heldLogs.Find(collectionId) is { } held)
        {
            if (throughLsn > held.Segments[^1].LastLsn)
            {
                throw EngineException.Invalid($"'through_lsn' {throughLsn} is past the dropped collection's last held LSN {held.Segments[^1].LastLsn}.");
            }

            _heldLogs.Acknowledge(collectionId, throughLsn);
            return;
        }

        var collection = ById(collectionId);
        if (throughLsn > collection.LastLsn)
        {
            throw EngineException.Invalid($"'through_lsn' {throughLsn} is past the collection's last LSN {collection.LastLsn}.");
        }

        collection.MarkArchived(throughLsn);
    }

    /// <summary>The archive state of every collection, by id.</summary>
    public ArchiveState ArchiveStatus()
    {
        var states = new List<ArchiveCollectionState>();
        foreach (var collection in _collections.Values.OrderBy(c => Path.GetFileName(c.Directory), StringComparer.Ordinal))
        {
            var sealedSegments = collection.SealedSegments();
            var archived = collection.ArchivedThroughLsn;
            var unarchived = sealedSegments.Where(s => s.LastLsn > archived).ToList();
            var newest = sealedSegments.Count == 0 ? null : sealedSegments[^1];
            var settings = collection.SettingsVersion();
            states.Add(new ArchiveCollectionState(
                collection.Config.Name, Path.GetFileName(collection.Directory), collection.Config.CreatedAt, collection.LastLsn, newest?.LastLsn,
                newest is null ? null : WalTime.ToInstant(newest.LastTimeMs), archived, unarchived.Count, unarchived.Sum(s => s.Bytes),
                collection.DroppedUnarchivedThroughLsn, settings?.Sha256, settings?.WrittenAt));
        }

        return new ArchiveState(states, states.Sum(s => s.UnarchivedBytes) + _heldLogs.Bytes, _options.UnarchivedWalLimitBytes, _options.RecoveryWindow, [.. _dropped]);
    }

    /// <summary>Remembers that a collection stopped existing now (deleted, or replaced by a restore under a new id).</summary>
    private void NoteDropped(Collection collection)
    {
        _dropped.Enqueue(new DroppedCollectionEntry(collection.Config.Name, Path.GetFileName(collection.Directory), _options.Time.GetUtcNow()));
        while (_dropped.Count > MaxDropsKept && _dropped.TryDequeue(out _))
        {
        }
    }

    // A dropped collection's unarchived log is held for the archiver only when a recovery window asks for archiving.
    private IReadOnlyList<SealedSegmentInfo> CloseForDrop(Collection collection)
    {
        if (_options.RecoveryWindow <= TimeSpan.Zero)
        {
            collection.Dispose();
            return [];
        }

        return collection.CloseKeepingUnarchived();
    }

    // The drop has happened whatever becomes of this: a hold that fails loses only what the archive had not copied.
    private void HoldUnarchived(Collection collection, string walDirectory, IReadOnlyList<SealedSegmentInfo> segments)
    {
        try
        {
            _heldLogs.Hold(Path.GetFileName(collection.Directory), collection.Config.Name, walDirectory, segments);
        }
        catch (IOException)
        {
        }
    }

    private Collection ById(string collectionId) =>
        _collections.Values.FirstOrDefault(c => Path.GetFileName(c.Directory) == collectionId)
            ?? throw EngineException.NotFound($"No collection has the id '{collectionId}'.");

    private static (string Id, long Lsn) ParseCursor(string? cursor)
    {
        if (cursor is null)
        {
            return (string.Empty, 0);
        }

        var dot = cursor.IndexOf('.', StringComparison.Ordinal);
        return dot == 16 && BackupPaths.IsCollectionId(cursor[..16])
            && long.TryParse(cursor.AsSpan(17), NumberStyles.None, CultureInfo.InvariantCulture, out var lsn)
                ? (cursor[..16], lsn)
                : throw EngineException.Invalid("'after' is not a cursor this listing returned.");
    }
}
