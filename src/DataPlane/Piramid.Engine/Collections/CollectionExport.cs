using Piramid.Engine.Queries;

namespace Piramid.Engine.Collections;

/// <summary>An open export of one collection (<see cref="Collection.OpenExport"/>): its points at one log position, in id order.</summary>
public sealed class CollectionExport : IDisposable
{
    private readonly Collection _collection;
    private readonly PointSnapshot _snapshot;
    private bool _disposed;

    internal CollectionExport(Collection collection, PointSnapshot snapshot)
    {
        _collection = collection;
        _snapshot = snapshot;
    }

    /// <summary>Points in the export.</summary>
    public long Count => _snapshot.Count;

    /// <summary>The log position of the view: every write acknowledged before the export opened is in it, none after.</summary>
    public long Lsn => _snapshot.Lsn;

    /// <summary>The next up to <paramref name="max"/> points with their vectors and metadata; empty once all were read.</summary>
    public IReadOnlyList<StoredPoint> ReadBatch(int max)
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        ArgumentOutOfRangeException.ThrowIfLessThan(max, 1);
        return _collection.ReadExportBatch(_snapshot, max);
    }

    /// <summary>Stops the view; writers no longer keep pre-images for it.</summary>
    public void Dispose()
    {
        if (_disposed)
        {
            return;
        }

        _disposed = true;
        _collection.CloseExport(_snapshot);
    }
}
