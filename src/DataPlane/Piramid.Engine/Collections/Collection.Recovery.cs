using System.Buffers.Binary;
using Piramid.Engine.Crypto;
using Piramid.Engine.Storage;

namespace Piramid.Engine.Collections;

/// <summary>Opening: newest valid checkpoint, then the log after it. Damage closes the collection, never drops data.</summary>
public sealed partial class Collection
{
    /// <summary>Creates the files of a new, empty collection in <paramref name="directory"/> and opens it.</summary>
    internal static Collection Create(string directory, CollectionConfig config, DataKey key, EngineOptions options, StorageHealth health, QuotaGuard quotas)
    {
        System.IO.Directory.CreateDirectory(Path.Combine(directory, "wal"));
        System.IO.Directory.CreateDirectory(Path.Combine(directory, "checkpoints"));
        CollectionManifest.Write(directory, key, config);
        var collection = new Collection(directory, config, key, options, health, quotas);
        collection.Recover();
        return collection;
    }

    /// <summary>
    /// Opens an existing collection. A damaged manifest throws <see cref="StorageCorruptedException"/>; a damaged
    /// checkpoint or log yields a collection that reports <see cref="FailureReason"/> and refuses every call with 503.
    /// </summary>
    internal static Collection Open(string directory, DataKey key, EngineOptions options, StorageHealth health, QuotaGuard quotas)
    {
        var config = CollectionManifest.Read(directory, key);
        var collection = new Collection(directory, config, key, options, health, quotas);
        try
        {
            collection.Recover();
        }
        catch (StorageCorruptedException e)
        {
            collection.FailClosed(e.Message);
        }
        catch (InvalidDataException e)
        {
            collection.FailClosed($"a log record does not decode: {e.Message}");
        }

        return collection;
    }

    private void Recover()
    {
        long afterLsn = 0;
        var checkpoint = CheckpointStore.LoadNewest(CheckpointDirectory, _key);
        if (checkpoint is not null)
        {
            LoadCheckpoint(checkpoint);
            afterLsn = checkpoint.Lsn;
        }

        _checkpointLsn = afterLsn;
        var walOptions = new WalOptions { Policy = _options.Durability, SegmentBytes = _options.WalSegmentBytes, Time = _options.Time };
        _wal = WriteAheadLog.Open(WalDirectory, _key, walOptions, afterLsn, Replay);
        _walBytesAtCheckpoint = _wal.BytesOnDisk;
        _lastCheckpointAt = _options.Time.GetUtcNow();
    }

    private void Replay(WalRecord record)
    {
        switch (record.Type)
        {
            case PointRecordCodec.UpsertType:
                foreach (var point in PointRecordCodec.DecodeUpsert(record.Payload.Span))
                {
                    LinkNow(ApplyUpsert(point));
                }

                break;
            case PointRecordCodec.DeleteType:
                foreach (var id in PointRecordCodec.DecodeDelete(record.Payload.Span))
                {
                    ApplyDelete(id);
                }

                break;
            default:
                throw new InvalidDataException($"unknown record type {record.Type} at LSN {record.Lsn}");
        }
    }

    private void LoadCheckpoint(CheckpointData checkpoint)
    {
        if (checkpoint.Chunks.Count == 0)
        {
            throw new StorageCorruptedException($"{checkpoint.Path}: checkpoint has no header chunk.");
        }

        var header = checkpoint.Chunks[0];
        if (header.Length != CheckpointHeaderSize || header[0] != CheckpointVersion
            || BinaryPrimitives.ReadInt32LittleEndian(header.AsSpan(9)) != Config.Dimension)
        {
            throw new StorageCorruptedException($"{checkpoint.Path}: checkpoint header does not match this collection.");
        }

        var expected = BinaryPrimitives.ReadInt64LittleEndian(header.AsSpan(1));
        for (var i = 1; i < checkpoint.Chunks.Count; i++)
        {
            foreach (var point in PointRecordCodec.DecodeUpsert(checkpoint.Chunks[i]))
            {
                LinkNow(ApplyUpsert(point));
            }
        }

        if (_points.Count != expected)
        {
            throw new StorageCorruptedException($"{checkpoint.Path}: checkpoint holds {_points.Count} points, its header says {expected}.");
        }
    }

    // Recovery runs before the collection is published: nothing else can hold its lock yet.
    private void LinkNow(int slot)
    {
        if (slot >= 0)
        {
            _index!.Link(slot);
        }
    }

    private void FailClosed(string reason)
    {
        FailureReason = reason;
        _points.Clear();
        _orderedIds.Clear();
        Interlocked.Exchange(ref _count, 0);
    }
}
