using Piramid.Engine.Crypto;
using Piramid.Engine.Idempotency;
using Piramid.Engine.Storage;

namespace Piramid.Engine.Collections;

/// <summary>Opening: newest valid checkpoint, then the log after it. Damage closes the collection, never drops data.</summary>
public sealed partial class Collection
{
    /// <summary>Creates the files of a new, empty collection in <paramref name="directory"/> and opens it.</summary>
    internal static Collection Create(string directory, CollectionConfig config, DataKey key, EngineOptions options, StorageHealth health, QuotaGuard quotas, IdempotencyLedger idempotency)
    {
        System.IO.Directory.CreateDirectory(Path.Combine(directory, "wal"));
        System.IO.Directory.CreateDirectory(Path.Combine(directory, "checkpoints"));
        CollectionManifest.Write(directory, key, config);
        var collection = new Collection(directory, config, key, options, health, quotas, idempotency);
        collection.Recover();
        return collection;
    }

    /// <summary>
    /// Opens an existing collection. A damaged manifest throws <see cref="StorageCorruptedException"/>; a damaged
    /// checkpoint or log yields a collection that reports <see cref="FailureReason"/> and refuses every call with 503.
    /// </summary>
    internal static Collection Open(string directory, DataKey key, EngineOptions options, StorageHealth health, QuotaGuard quotas, IdempotencyLedger idempotency)
    {
        var started = System.Diagnostics.Stopwatch.GetTimestamp();
        var config = CollectionManifest.Read(directory, key);
        var collection = new Collection(directory, config, key, options, health, quotas, idempotency);
        options.OpenProfile?.Add("collection: manifest, empty store, linker", started);
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
        var profile = _options.OpenProfile;
        var started = System.Diagnostics.Stopwatch.GetTimestamp();
        long afterLsn = 0;
        using var checkpoint = CheckpointStore.LoadNewest(CheckpointDirectory, _key);
        started = profile?.Add("checkpoint: map, frame, checksums", started) ?? started;
        if (checkpoint is not null)
        {
            var records = CheckpointCodec.Decode(checkpoint, _store, profile);
            started = System.Diagnostics.Stopwatch.GetTimestamp();
            foreach (var record in records)
            {
                _idempotency.Restore(IdempotencyOwner, record);
            }

            afterLsn = checkpoint.Lsn;
            started = profile?.Add("idempotency records restored", started) ?? started;
        }

        _checkpointLsn = afterLsn;
        var walOptions = new WalOptions { Policy = _options.Durability, SegmentBytes = _options.WalSegmentBytes, Time = _options.Time };
        _wal = WriteAheadLog.Open(WalDirectory, _key, walOptions, afterLsn, Replay);
        _walBytesAtCheckpoint = _wal.BytesOnDisk;
        _lastCheckpointAt = _options.Time.GetUtcNow();
        started = profile?.Add("WAL open and replay", started) ?? started;
        QueueRecoveredLinks();
        profile?.Add("recovered links queued", started);
    }

    private void Replay(WalRecord record)
    {
        // An idempotent write's record carries its key (version 2); a version 1 record is the plain payload.
        var payload = IdempotencyCodec.Unwrap(record.Payload.Span, record.Lsn, out var idempotent);
        if (idempotent is not null)
        {
            _idempotency.Restore(IdempotencyOwner, idempotent);
        }

        switch (record.Type)
        {
            case PointRecordCodec.UpsertType:
                foreach (var point in PointRecordCodec.DecodeUpsert(payload))
                {
                    // Reserved only: the linker links the replayed nodes once the collection is open, and searches
                    // scan them exactly meanwhile (QueueRecoveredLinks).
                    _store.Upsert(point);
                }

                break;
            case PointRecordCodec.DeleteType:
                foreach (var id in PointRecordCodec.DecodeDelete(payload))
                {
                    _store.Delete(id);
                }

                break;
            default:
                throw new InvalidDataException($"unknown record type {record.Type} at LSN {record.Lsn}");
        }
    }

    private void FailClosed(string reason)
    {
        FailureReason = reason;
        _store.Clear();
    }
}
