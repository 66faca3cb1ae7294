using Piramid.Engine.Commands;
using Piramid.Engine.Queries;

namespace Piramid.Engine.Collections;

/// <summary>Export: a point-in-time read of every point in id order, with bounded memory, while writes go on.</summary>
public sealed partial class Collection
{
    /// <summary>
    /// Opens a consistent view of the collection at its current log position: the reader sees every write up to
    /// <see cref="CollectionExport.Lsn"/> and none after, however long it takes. Dispose it to stop keeping pre-images.
    /// </summary>
    public CollectionExport OpenExport()
    {
        ThrowIfUnavailable();
        _lock.EnterWriteLock();
        try
        {
            ThrowIfUnavailable();
            return new CollectionExport(this, _store.OpenSnapshot(_wal!.LastLsn));
        }
        finally
        {
            _lock.ExitWriteLock();
        }
    }

    /// <summary>
    /// Checks one point of an import as an upsert would (id, dimension, finite values, metadata size and schema)
    /// without writing it, so a bad line is named before the batch that holds it is sent.
    /// </summary>
    public void ValidatePoint(NewPoint point)
    {
        ArgumentNullException.ThrowIfNull(point);
        PointValidator.PrepareUpsert([point], Config, _options.MaxMetadataBytes, _options.MaxVectorValue);
    }

    internal List<StoredPoint> ReadExportBatch(PointSnapshot snapshot, int max)
    {
        ThrowIfUnavailable();
        _lock.EnterReadLock();
        try
        {
            ThrowIfUnavailable();
            return snapshot.NextBatch(_store, max);
        }
        finally
        {
            _lock.ExitReadLock();
        }
    }

    internal void CloseExport(PointSnapshot snapshot)
    {
        _lock.EnterWriteLock();
        try
        {
            _store.CloseSnapshot(snapshot);
        }
        finally
        {
            _lock.ExitWriteLock();
        }
    }
}
