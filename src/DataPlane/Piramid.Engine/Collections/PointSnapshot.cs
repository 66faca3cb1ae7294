using Piramid.Engine.Queries;

namespace Piramid.Engine.Collections;

/// <summary>
/// A point-in-time view of a collection's points, read in ordinal id order while writes go on (export). Copy on
/// write: before a writer changes or removes a point the view has not handed out yet, <see cref="PointStore"/> calls
/// <see cref="Preserve"/>, which keeps the point as it was when the view opened (or that it did not exist). Memory is
/// the points written during the read, never the collection.
/// </summary>
/// <remarks>Guarded by the collection's lock: writers call <see cref="Preserve"/> under the write lock, the reader
/// calls <see cref="NextBatch"/> under the read lock.</remarks>
internal sealed class PointSnapshot(long count, long lsn)
{
    // Pre-images of ids after the cursor, changed since the view opened; null = the id did not exist then.
    private readonly SortedDictionary<string, StoredPoint?> _preserved = new(StringComparer.Ordinal);
    private string? _cursor;

    /// <summary>Points in the view.</summary>
    public long Count { get; } = count;

    /// <summary>The collection log position the view is at: every write up to it is in, none after it.</summary>
    public long Lsn { get; } = lsn;

    /// <summary>Pre-images held now (for tests and the memory bound).</summary>
    public int PreservedCount => _preserved.Count;

    /// <summary>Keeps the current state of <paramref name="id"/> unless the view already handed it out or kept it.</summary>
    public void Preserve(string id, PointStore store)
    {
        if ((_cursor is not null && string.CompareOrdinal(id, _cursor) <= 0) || _preserved.ContainsKey(id))
        {
            return;
        }

        _preserved[id] = store.TryGet(id, out var entry)
            ? new StoredPoint(entry.Id, store.VectorOf(entry), entry.HasMetadata ? entry.Metadata : null)
            : null;
    }

    /// <summary>The next up to <paramref name="max"/> points of the view in id order; empty at the end.</summary>
    public List<StoredPoint> NextBatch(PointStore store, int max)
    {
        var batch = new List<StoredPoint>(max);
        using var live = store.IdsAfter(_cursor).GetEnumerator();
        using var kept = _preserved.GetEnumerator();
        var hasLive = live.MoveNext();
        var hasKept = kept.MoveNext();
        var emittedKept = new List<string>();
        while (batch.Count < max && (hasLive || hasKept))
        {
            var order = !hasLive ? 1 : !hasKept ? -1 : string.CompareOrdinal(live.Current, kept.Current.Key);
            string id;
            if (order >= 0)
            {
                // The view's own version of this id wins over the live one (changed, created or deleted since).
                id = kept.Current.Key;
                emittedKept.Add(id);
                if (kept.Current.Value is { } old)
                {
                    batch.Add(old);
                }

                hasKept = kept.MoveNext();
                if (order == 0)
                {
                    hasLive = live.MoveNext();
                }
            }
            else
            {
                id = live.Current;
                var entry = store.Entry(id);
                batch.Add(new StoredPoint(id, store.VectorOf(entry), entry.HasMetadata ? entry.Metadata : null));
                hasLive = live.MoveNext();
            }

            _cursor = id;
        }

        foreach (var id in emittedKept)
        {
            _preserved.Remove(id);
        }

        return batch;
    }
}
